// Step 1b of the pipeline: phone ids for the reference and target texts. The phonemizer is
// the hub's (Amphion's G2P conventions); ids come from the vocabulary that ships with the
// weights, so they match the checkpoint. Phones the vocabulary lacks are dropped, as the
// original drops them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../../../core/errors.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import type { PhoneVocab } from '../../../core/text/toolkit.ts';
import { MASKGCT } from '../settings.ts';

/**
 * Smoke state only. Generated graphs come without a vocabulary file, so each phone gets a
 * stable id from its FNV-1a hash, within the real table's 363 ids: as meaningless as the
 * smoke graphs' outputs, but deterministic and in range, and the phonemizer still runs for real.
 */
export function hashedPhoneVocab(size: number = MASKGCT.phoneVocabSize): PhoneVocab {
  const id = (phone: string) => {
    let hash = 0x811c9dc5;
    for (const unit of new TextEncoder().encode(phone)) hash = Math.imul(hash ^ unit, 0x01000193) >>> 0;
    return hash % size;
  };
  return {
    size,
    has: (phone) => phone.length > 0,
    id: (phone) => (phone.length > 0 ? id(phone) : undefined),
    ids: (phones) => ({ ids: phones.filter((p) => p.length > 0).map(id), unknown: [] }),
  };
}

export async function phoneVocabulary(ctx: Pick<HandlerContext, 'weightDir' | 'weightState' | 'text' | 'log'>): Promise<PhoneVocab> {
  const path = join(ctx.weightDir, MASKGCT.phoneVocabFile);
  if (ctx.weightState === 'smoke' && !existsSync(path)) return hashedPhoneVocab();
  return ctx.text.phoneVocab(path);
}

export interface Phones {
  readonly ids: number[];
  /** The language the phonemizer used (after resolving aliases such as en-us). */
  readonly language: string;
}

/** Text → phone ids; 400 naming `field` when nothing pronounceable is left (`emptyRule` says why, when the caller knows better). */
export async function phonesOf(ctx: Pick<HandlerContext, 'text' | 'log'>, vocab: PhoneVocab, text: string, language: string, field: string, emptyRule?: string): Promise<Phones> {
  const phonemized = await ctx.text.phonemize(text, language, { field });
  const { ids, unknown } = vocab.ids(phonemized.phones);
  if (unknown.length) ctx.log.debug('phones missing from the vocabulary were dropped', { field, unknown: [...new Set(unknown)] });
  if (ids.length === 0) throw errors.invalidField(field, emptyRule ?? 'has no pronounceable text in this language');
  return { ids, language: phonemized.language };
}

/**
 * Target length in frames when the client gives none, as `text2semantic` estimates it:
 * the reference's duration scaled by the ratio of phone counts, 50 frames per second;
 * kept within [minTargetSeconds, maxTargetSeconds].
 */
export function estimateTargetFrames(referenceSamples16k: number, referencePhones: number, targetPhones: number): number {
  const { frameRate, semanticSampleRate, minTargetSeconds, maxTargetSeconds } = MASKGCT;
  const frames = Math.trunc(((referenceSamples16k * targetPhones) / referencePhones / semanticSampleRate) * frameRate);
  return Math.min(Math.max(frames, Math.round(minTargetSeconds * frameRate)), maxTargetSeconds * frameRate);
}

/** `int(target_len * 50)` for a duration the client gave. */
export function framesForSeconds(seconds: number): number {
  return Math.max(1, Math.trunc(seconds * MASKGCT.frameRate));
}
