// Step 1b of the pipeline: phone ids for the reference and target texts. The phonemizer is
// the hub's (Amphion's G2P conventions); ids come from the vocabulary that ships with the
// weights, so they match the checkpoint. Phones the vocabulary lacks are dropped, as the
// original drops them.
import type { HandlerContext } from '../../../core/plugin/context.ts';
import type { PhoneVocab } from '../../../core/text/toolkit.ts';
import { MASKGCT } from '../settings.ts';

import { hashedPhoneVocab as sharedHashedVocab, phonesOf, phoneVocabulary as sharedVocabulary, type Phones } from '../../amphion-text/phones.ts';

export { phonesOf, type Phones };

export const hashedPhoneVocab = (size: number = MASKGCT.phoneVocabSize): PhoneVocab => sharedHashedVocab(size);

export async function phoneVocabulary(ctx: Pick<HandlerContext, 'weightDir' | 'weightState' | 'text' | 'log'>): Promise<PhoneVocab> {
  return sharedVocabulary(ctx, MASKGCT.phoneVocabFile);
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
