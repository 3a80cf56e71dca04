// The dubbing pipeline's time per minute of song, over HTTP on a real hub (Vevo on smoke
// graphs as the converter, so conversion costs what the graphs' shapes cost, not a real model):
//   node --import tsx bench/dubbing.ts [seconds…]     (or `npm run bench -- dubbing`; default 60 180)
//
// For each length: preprocess (decode, centre-extraction separation) and generate (conversion,
// pitch shift +3, loudness-matched remix, MP3) wall times, as seconds of work per minute of
// input (lower is better; a real-time pipeline is under 60). Both stages are hub tasks, timed
// from the POST to the status the poll sees. The machine's load is printed: on a shared
// machine the figures move by tens of per cent.
import { loadavg } from 'node:os';
import { api, makeVoice, put, songWav, startDubbingHub, until, voiceWav } from '../test/dubbing/support.ts';

const lengths = process.argv.slice(2).map(Number).filter((n) => n > 0);
const hub = await startDubbingHub({ dubbing: { initialCredits: 100_000 }, rateLimit: { perMinute: 1_000_000, perHour: 10_000_000 } });
try {
  const voice = await makeVoice(hub, [voiceWav(8, 180), voiceWav(6, 240)]);
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('seconds of song | preprocess s | generate s | s of work per minute of song');
  for (const seconds of lengths.length ? lengths : [60, 180]) {
    const created = await api(hub, 'POST', '/v1/me/dubs', { voiceId: voice.id, pitchShift: 3 });
    await put(created.json.uploadUrl, songWav(seconds));
    const id = created.json.dub.id as string;
    let t = performance.now();
    await api(hub, 'POST', `/v1/me/dubs/${id}/preprocess`);
    await until(hub, `/v1/me/dubs/${id}`, 'dub', ['preprocessed'], 3_600_000);
    const pre = (performance.now() - t) / 1000;
    t = performance.now();
    await api(hub, 'POST', `/v1/me/dubs/${id}/generate`);
    await until(hub, `/v1/me/dubs/${id}`, 'dub', ['done'], 3_600_000);
    const gen = (performance.now() - t) / 1000;
    console.log(`${seconds} | ${pre.toFixed(1)} | ${gen.toFixed(1)} | ${(((pre + gen) / seconds) * 60).toFixed(1)}`);
  }
} finally {
  await hub.stop();
}
