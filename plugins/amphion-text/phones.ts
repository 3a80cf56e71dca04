// Phone ids for Amphion's G2P vocabulary (`g2p/g2p/vocab.json`, 363 phones), shared by the
// models trained on it (MaskGCT, Vevo-TTS). The phonemizer is the hub's; ids come from the
// vocabulary file beside the weights, so they match the checkpoint. Phones the vocabulary
// lacks are dropped, as the original drops them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errors } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { PhoneVocab } from '../../core/text/toolkit.ts';

/** Amphion's vocab.json: ids 0..362. */
export const AMPHION_PHONE_VOCAB_SIZE = 363;

/**
 * Smoke state only. Generated graphs come without a vocabulary file, so each phone gets a
 * stable id from its FNV-1a hash, within the real table's ids: as meaningless as the smoke
 * graphs' outputs, but deterministic and in range, and the phonemizer still runs for real.
 */
export function hashedPhoneVocab(size: number = AMPHION_PHONE_VOCAB_SIZE): PhoneVocab {
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

/** The vocabulary file in the weight folder; the hashed stand-in on smoke graphs without one. */
export async function phoneVocabulary(ctx: Pick<HandlerContext, 'weightDir' | 'weightState' | 'text' | 'log'>, file: string): Promise<PhoneVocab> {
  const path = join(ctx.weightDir, file);
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
