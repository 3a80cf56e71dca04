// Swagger UI in a real headless Chromium, as a newcomer uses it: Authorize with the key,
// Execute the espeak TTS route as pre-filled, and get a player that plays the answer (its
// duration is known, so the browser decoded the bytes) and a link that downloads it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { browserSkipReason, launchChromium, type HeadlessBrowser } from '../support/swagger-browser.ts';
import { DEV_KEY, startTestHub, type TestHub } from '../support/test-hub.ts';

const skip = browserSkipReason();
if (skip) console.log(`# skipping the Swagger UI browser test: ${skip}`);

describe('audio answers in Swagger UI', { skip }, () => {
  let hub: TestHub;
  let chromium: HeadlessBrowser;
  before(async () => {
    hub = await startTestHub();
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await hub?.stop();
  });

  it('plays the espeak answer of a first Execute and offers it for download', { timeout: 120_000 }, async () => {
    const page = await chromium.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${hub.url}/api/docs/`);

    await page.locator('button.authorize').first().click();
    const apiKeyBox = page.locator('.auth-container').filter({ hasText: 'ApiKeyAuth' });
    await apiKeyBox.locator('input').fill(DEV_KEY);
    await apiKeyBox.locator('button.authorize').click(); // its accessible name is 'Apply credentials'
    await page.locator('.auth-wrapper button.btn-done, .modal-ux button.btn-done').first().click();

    const operation = page.locator('#operations-Text-to-Speech-espeak_post_tts_espeak');
    await operation.locator('.opblock-summary').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    await operation.getByRole('button', { name: 'Execute' }).click();

    const player = operation.locator('audio[data-hub-audio]');
    await player.waitFor({ timeout: 60_000 });
    const src = await player.getAttribute('src');
    assert.match(src ?? '', /^blob:/, 'the player plays the answer itself, not a GET of the POST route');
    // The duration is known once the browser has decoded the answer's header.
    await page.waitForFunction("(() => { const a = document.querySelector('audio[data-hub-audio]'); return a !== null && Number.isFinite(a.duration) && a.duration > 0; })()", undefined, { timeout: 30_000 });
    const duration = await player.evaluate((audio) => (audio as unknown as { duration: number }).duration);
    assert.ok(duration > 0.3 && duration < 10, `the player reads ${duration} s`);

    const link = operation.locator('.hub-audio-result a[download]');
    assert.equal(await link.getAttribute('href'), src);
    assert.match((await link.getAttribute('download')) ?? '', /\.wav$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const path = await download.path();
    assert.ok(path, 'the browser saved the file');
    assert.deepEqual(problems, []);
  });
});
