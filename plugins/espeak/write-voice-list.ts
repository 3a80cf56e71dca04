// Writes voice-list.json from the installed espeak-ng build, so the plugin can list its
// voices without starting espeak. Run after upgrading @echogarden/espeak-ng-emscripten:
//   node --import tsx plugins/espeak/write-voice-list.ts
// (voices.test.ts fails when the committed list and the build disagree.)
import { writeFile } from 'node:fs/promises';
import { makeTextToolkit } from '../../core/text/make-text-toolkit.ts';

const text = makeTextToolkit();
const voices = (await text.espeak.voices()).map((v) => ({ identifier: v.identifier, name: v.name, languages: v.languages }));
const variants = [...(await text.espeak.variants())].sort();
await writeFile(new URL('./voice-list.json', import.meta.url), `${JSON.stringify({ voices, variants }, null, 1)}\n`);
await text.close();
console.log(`wrote ${voices.length} voices and ${variants.length} variants`);
