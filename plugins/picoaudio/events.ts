// PicoAudio's sound-event classes (zeyuxie29/PicoAudio picoaudio/data/filter_data.py
// get_event_list): the row of each in the timestamp matrix is its index here. The model was
// trained on simulated mixtures of exactly these events.
export const PICO_EVENTS = [
  'burping_belching',
  'car_horn_honking',
  'cat_meowing',
  'cow_mooing',
  'dog_barking',
  'door_knocking',
  'door_slamming',
  'explosion',
  'gunshot',
  'sheep_goat_bleating',
  'sneeze',
  'spraying',
  'thump_thud',
  'train_horn',
  'tapping_clicking_clanking',
  'woman_laughing',
  'duck_quacking',
  'whistling',
] as const;

export type PicoEvent = (typeof PICO_EVENTS)[number];

/** How a caption may name an event: lower case, words separated by spaces (`cat meowing`). */
export const spokenName = (event: PicoEvent) => event.replaceAll('_', ' ');

/** The event a phrase names, if any: case, `_`/`-` separators, extra spaces and a leading article do not matter. */
export function eventNamed(phrase: string): PicoEvent | undefined {
  const words = phrase.toLowerCase().replace(/[_-]+/g, ' ').trim().split(/\s+/);
  if (['a', 'an', 'the'].includes(words[0] ?? '')) words.shift();
  const wanted = words.join(' ');
  return PICO_EVENTS.find((event) => spokenName(event) === wanted);
}
