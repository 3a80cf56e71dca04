// German normalisation per Amphion's `g2p/g2p/german.py`: the shared clean-up only.
import { cleanEuropeanText } from './european-cleanup.ts';

export function normalizeGerman(text: string): string {
  return cleanEuropeanText(text);
}
