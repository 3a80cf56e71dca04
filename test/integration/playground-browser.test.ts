// The playground in a real headless Chromium: fill the espeak form, send, follow the task,
// play the answer (its duration known, so the browser decoded it) and show the hub's
// pictures of it, under a CSP that allows only the hub's origin.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { PLAYGROUND_CSP } from '../../core/surfaces/playground/playground.ts';
import { browserSkipReason, launchChromium, type HeadlessBrowser } from '../support/swagger-browser.ts';
import { DEV_KEY, startTestHub, type TestHub } from '../support/test-hub.ts';

/**
 * Polls an expression in the page. (playwright's waitForFunction builds its predicate with
 * eval inside the page, which the playground's CSP rightly refuses; evaluate does not.)
 */
async function waitFor(page: import('playwright-core').Page, expression: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const skip = browserSkipReason();
if (skip) console.log(`# skipping the playground browser test: ${skip}`);

describe('the playground page', { skip }, () => {
  let hub: TestHub;
  let chromium: HeadlessBrowser;
  let shots: string;
  before(async () => {
    hub = await startTestHub();
    chromium = await launchChromium();
    shots = await mkdtemp(join(tmpdir(), 'playground-shots-'));
  });
  after(async () => {
    await chromium?.close();
    await hub?.stop();
    await rm(shots, { recursive: true, force: true });
  });

  it('is served with a CSP of the hub\'s own origin only', async () => {
    for (const path of ['/playground', '/playground/playground.js', '/playground/playground.css']) {
      const res = await hub.call(path, { key: null });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-security-policy'), PLAYGROUND_CSP);
    }
    assert.doesNotMatch(PLAYGROUND_CSP, /https?:|\*|'unsafe-/);
  });

  it('speaks the espeak form, following the task live, and shows audio with its waveform and spectrogram', { timeout: 120_000 }, async () => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1100, height: 760 });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const statuses: string[] = [];
    await page.exposeFunction('reportStatus', (text: string) => statuses.push(text));

    await page.goto(`${hub.url}/playground`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.evaluate("new MutationObserver(() => window.reportStatus(document.getElementById('status').textContent)).observe(document.getElementById('status'), { childList: true, characterData: true, subtree: true })");
    await page.fill('#api-key', DEV_KEY);
    assert.equal(await page.locator('#route option:checked').textContent(), 'Text-to-Speech — POST /api/tts/espeak');
    // The form comes from the schema: its examples are filled in.
    assert.equal(await page.inputValue('[name="voice"]'), 'en-us');
    await page.fill('[name="text"]', 'The playground speaks.');
    await page.click('#send');

    await waitFor(page, "(() => { const a = document.getElementById('player'); return Number.isFinite(a.duration) && a.duration > 0; })()", 60_000);
    const duration = await page.evaluate("document.getElementById('player').duration");
    assert.ok(Number(duration) > 0.3 && Number(duration) < 10, `the player reads ${duration} s`);
    await waitFor(page, "['waveform', 'spectrogram'].every((id) => document.getElementById(id).naturalWidth === 800)", 30_000);
    assert.ok(statuses.some((s) => /^task (queued|running|done)/.test(s)), `no live task progress was shown: ${statuses.join(' | ')}`);
    assert.match(statuses.at(-1) ?? '', /^done: audio\/wav/);
    assert.equal(await page.getAttribute('#download', 'download'), 'answer.wav');
    // The key stays in this tab: sessionStorage, never localStorage or a cookie.
    assert.equal(await page.evaluate("sessionStorage.getItem('hub-playground-api-key')"), DEV_KEY);
    assert.equal(await page.evaluate('localStorage.length'), 0);
    assert.equal(await page.evaluate('document.cookie'), '');
    assert.deepEqual(problems, []);

    const shot = join(shots, 'playground.png');
    await page.screenshot({ path: shot });
    assert.ok((await stat(shot)).size > 10_000);
    // HUB_PLAYGROUND_SCREENSHOT=docs/playground.png refreshes the README's picture (palette PNG, small).
    const keep = process.env.HUB_PLAYGROUND_SCREENSHOT;
    if (keep) await sharp(shot).resize({ width: 900 }).png({ palette: true, colours: 64, compressionLevel: 9 }).toFile(keep);
  });
});
