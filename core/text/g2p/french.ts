// French normalisation per Amphion's `g2p/g2p/french.py`: abbreviations, then the shared clean-up.
import { cleanEuropeanText } from './european-cleanup.ts';

const DOTTED: readonly (readonly [string, string])[] = [
  ['M', 'monsieur'], ['Mlle', 'mademoiselle'], ['Mlles', 'mesdemoiselles'], ['Mme', 'Madame'], ['Mmes', 'Mesdames'],
  ['N.B', 'nota bene'], ['p.c.q', 'parce que'], ['Pr', 'professeur'], ['qqch', 'quelque chose'],
  ['rdv', 'rendez-vous'], ['max', 'maximum'], ['min', 'minimum'], ['no', 'numéro'], ['adr', 'adresse'], ['dr', 'docteur'],
  ['st', 'saint'], ['co', 'companie'], ['jr', 'junior'], ['sgt', 'sergent'], ['capt', 'capitain'], ['col', 'colonel'],
  ['av', 'avenue'], ['av. J.-C', 'avant Jésus-Christ'], ['apr. J.-C', 'après Jésus-Christ'], ['art', 'article'],
  ['boul', 'boulevard'], ['c.-à-d', 'c’est-à-dire'], ['etc', 'et cetera'], ['ex', 'exemple'], ['excl', 'exclusivement'],
];
const UNDOTTED: readonly (readonly [string, string])[] = [
  ['Mlle', 'mademoiselle'], ['Mlles', 'mesdemoiselles'], ['Mme', 'Madame'], ['Mmes', 'Mesdames'],
];

// The Python source builds these patterns from the raw strings, so a '.' inside one is a wildcard there too.
const ABBREVIATIONS: readonly (readonly [RegExp, string])[] = [
  ...DOTTED.map(([short, long]) => [new RegExp(`\\b${short}\\.`, 'giu'), long] as const),
  ...UNDOTTED.map(([short, long]) => [new RegExp(`\\b${short}`, 'gu'), long] as const),
];

export function normalizeFrench(text: string): string {
  const expanded = ABBREVIATIONS.reduce((out, [pattern, long]) => out.replace(pattern, long), text);
  return cleanEuropeanText(expanded, { ampersand: ' et ' });
}
