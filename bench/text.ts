// Text front-end figures (medians of several repeats):
//   node --import tsx bench/text.ts        (or `npm run bench -- text`)
//
// 1. First phonemize call: starting the espeak worker thread and loading the WASM build.
// 2. phonemize() per sentence in en (espeak + number expansion), zh (pinyin path), de, mixed zh/en.
// 3. espeak synthesis of a 60-word paragraph: real-time factor.
// 4. Event-loop delay on the main thread while espeak synthesizes (it runs in its worker).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { makeTextToolkit } from '../core/text/make-text-toolkit.ts';

const REPEATS = 20;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const text = makeTextToolkit();

let started = performance.now();
await text.phonemize('warm up', 'en');
console.log(`1. first call (worker + WASM load): ${(performance.now() - started).toFixed(0)} ms`);

const sentences = {
  en: 'The quick brown fox jumps over the lazy dog, twice in 1984, for $5.50.',
  zh: '今天天气很好，我们一起去公园散步吧。',
  de: 'Guten Tag, wie geht es dir heute? Das Wetter ist schön.',
  'zh+en': '我喜欢用 Python 写程序，也喜欢 machine learning。',
} as const;
for (const [language, sentence] of Object.entries(sentences)) {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    started = performance.now();
    await text.phonemize(sentence, language === 'zh+en' ? 'zh' : language);
    times.push(performance.now() - started);
  }
  console.log(`2. phonemize ${language.padEnd(5)} ${median(times).toFixed(1)} ms (median of ${REPEATS})`);
}

const paragraph = 'Speech synthesis turns written text into sound. '.repeat(8) + 'It is robotic, but anyone can understand it, in many languages.';
const voice = (await text.espeak.voiceFor('en-us'))!;
const rtf: number[] = [];
for (let i = 0; i < 5; i++) {
  started = performance.now();
  const { audio, sampleRate } = await text.espeak.synthesize(paragraph, { voice });
  rtf.push((performance.now() - started) / 1000 / (audio.length / sampleRate));
}
console.log(`3. espeak synthesis real-time factor: ${median(rtf).toFixed(3)} (median of 5; < 1 is faster than real time)`);

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
await Promise.all([0, 1, 2, 3].map(() => text.espeak.synthesize(paragraph, { voice })));
delay.disable();
console.log(`4. event-loop delay during 4 syntheses: max ${(delay.max / 1e6).toFixed(1)} ms, mean ${(delay.mean / 1e6).toFixed(1)} ms`);
await text.close();
