// PicoAudio's caption reader: both caption forms of the reference's metadata, what it
// refuses and what it says it understood, and the timestamp matrix the UNet reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCaption, placeOccurrences } from './caption.ts';
import { eventText, LATENT_FRAMES, timestampMatrix } from './timestamps.ts';

describe('PicoAudio captions', () => {
  it('reads timestamp captions, several ranges per event', () => {
    const r = parseCaption('cat meowing at 0.5-2.0, 3.0-4.5 and whistling at 5.0-6.5 and explosion at 7.0-8.0, 8.5-9.5', 10);
    assert.ok(r.ok);
    assert.deepEqual(r.events, [
      { event: 'cat_meowing', ranges: [[0.5, 2], [3, 4.5]] },
      { event: 'whistling', ranges: [[5, 6.5]] },
      { event: 'explosion', ranges: [[7, 8], [8.5, 9.5]] },
    ]);
  });

  it('reads frequency captions and spreads the occurrences evenly', () => {
    const r = parseCaption('Duck quacking three times and dog barking once', 9);
    assert.ok(r.ok);
    assert.deepEqual(r.events, [
      { event: 'duck_quacking', ranges: [[0.75, 2.25], [3.75, 5.25], [6.75, 8.25]] }, // slots of 3 s, sounds of 1.5 s
      { event: 'dog_barking', ranges: [[3.5, 5.5]] },
    ]);
    assert.deepEqual(placeOccurrences(2, 3), [[0.375, 1.125], [1.875, 2.625]]);
  });

  it('takes ranges joined by "and", class names with underscores, and "one times" as the metadata writes it', () => {
    const r = parseCaption('door_knocking at 1-2 and 3-4 and the sneeze one times', 10);
    assert.ok(r.ok);
    assert.deepEqual(r.events.map((e) => [e.event, e.ranges.length]), [['door_knocking', 2], ['sneeze', 1]]);
  });

  it('refuses an unknown event, listing what it understood before it', () => {
    const r = parseCaption('cat meowing at 0.5-2.0 and a piano at 3-4', 10);
    assert.ok(!r.ok);
    assert.equal(r.problem, '"a piano" is not one of the events this model knows');
    assert.deepEqual(r.understood, ['cat meowing at 0.5-2']);
  });

  it('refuses timestamps beyond the duration, reversed ranges and phrases of neither form', () => {
    const beyond = parseCaption('gunshot at 2-4.5', 4);
    assert.ok(!beyond.ok);
    assert.match(beyond.problem, /gunshot at 2-4.5 ends after the requested duration of 4 s/);
    const reversed = parseCaption('gunshot at 3-1', 4);
    assert.ok(!reversed.ok && /ends before it starts/.test(reversed.problem));
    const vague = parseCaption('rain falling softly', 4);
    assert.ok(!vague.ok && /neither "<event> at <start>-<end>" nor "<event> <n> times"/.test(vague.problem));
    const many = parseCaption('sneeze 11 times', 10);
    assert.ok(!many.ok && /not a count from 1 to 10/.test(many.problem));
  });

  it('builds the 32 × 256 matrix at 25 frames per second, one row per event class', () => {
    const r = parseCaption('cat meowing at 0.5-2.0 and whistling at 5.0-6.5', 10);
    assert.ok(r.ok);
    const m = timestampMatrix(r.events);
    assert.equal(m.length, 32 * LATENT_FRAMES);
    const row = (i: number) => [...m.subarray(i * LATENT_FRAMES, (i + 1) * LATENT_FRAMES)];
    // cat_meowing is class 2: frames int(0.5·25) = 12 … int(2.0·25) = 50 (exclusive)
    assert.deepEqual(row(2).flatMap((v, f) => (v ? [f] : [])), Array.from({ length: 38 }, (_, i) => 12 + i));
    assert.equal(row(17).reduce((a, b) => a + b, 0), Math.trunc(6.5 * 25) - Math.trunc(5 * 25));
    assert.equal(m.reduce((a, b) => a + b, 0), 38 + 37);
    assert.equal(eventText(r.events), 'cat_meowing and whistling');
  });
});
