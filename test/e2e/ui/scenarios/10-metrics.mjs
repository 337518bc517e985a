// Show Metrics on the demo service: the webview draws one chart per kind of figure from the series the world
// seeded (CPU and memory, requests, response time, hosts), the legend shows the values under the cursor, and the
// table view holds exactly the seeded numbers. Read through the webview's own DOM.
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { contextMenu, expandRow, openActivityView, waitFor } from '../../../../scripts/lib/workbench.mjs';

const require = createRequire(import.meta.url);
const { demoSeries, DEMO_HISTORY_MINUTES } = require('../../../../out/test/support/metricsWorld.js');

export const title = 'Show Metrics on the demo service draws its seeded CloudWatch series as charts with deploy markers, and the table view holds the same numbers';

const SERVICE = 'sales-prod-mcp-server-production';

/** The frame of our webview: VS Code nests it in two iframes; ours is the one with the panel's markup. */
async function metricsFrame(page) {
  return waitFor(async () => {
    for (const frame of page.frames()) {
      try {
        if (await frame.locator('#charts').count()) return frame;
      } catch {
        // A frame that went away while we looked.
      }
    }
    return undefined;
  }, { timeoutMs: 30_000, expected: 'the Show Metrics webview' });
}

export async function run({ page, world, shot }) {
  await openActivityView(page, 'ECR Deploy');
  await expandRow(page, 'sales-prod', { timeoutMs: 30_000 });
  await contextMenu(page, SERVICE, { click: 'Show Metrics' });
  const frame = await metricsFrame(page);

  const charts = await waitFor(async () => {
    const ids = await frame.locator('figure.chart').evaluateAll((figures) => figures.map((f) => f.getAttribute('data-chart')));
    return ids.length >= 4 && (await frame.locator('figure.chart canvas').count()) >= 4 ? ids : undefined;
  }, { timeoutMs: 60_000, expected: 'the charts drawn' });
  assert.deepEqual(charts, ['utilisation', 'requests', 'latency', 'hosts']);
  assert.match(await frame.locator('#status').innerText(), /^Updated .* 60 s per point/);
  assert.match(await frame.locator('#deployments').innerText(), /Deploy v1\.0\.0|Deploy /);
  assert.equal(await frame.locator('[data-range="3h"]').getAttribute('aria-pressed'), 'true');

  // Hover the CPU chart: the legend shows a value for each series under the cursor.
  const plot = frame.locator('figure[data-chart="utilisation"] .u-over');
  const box = await plot.boundingBox();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
  const legend = await waitFor(async () => {
    const values = await frame.locator('figure[data-chart="utilisation"] .u-legend .u-series .u-value').allInnerTexts();
    return values.length >= 3 && values.slice(1).every((v) => /%$/.test(v)) ? values : undefined;
  }, { expected: 'legend values under the cursor' });
  assert.match(legend[0], /\d/);
  await shot('metrics');

  // The table: every seeded CPU point of the window, exactly.
  await frame.locator('#toggle-view').click();
  await frame.locator('table.numbers').waitFor({ timeout: 10_000 });
  const table = await frame.locator('table.numbers').evaluate((t) => {
    const headers = [...t.querySelectorAll('thead th')].map((th) => `${th.getAttribute('data-metric')} ${th.getAttribute('data-stat')}`);
    const rows = [...t.querySelectorAll('tbody tr')].map((tr) => ({ time: tr.getAttribute('data-time'), values: [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-value')) }));
    return { headers, rows };
  });
  const column = table.headers.indexOf('CPUUtilization Average') - 1;
  assert.ok(column >= 0, `a CPU column: ${table.headers.join(', ')}`);
  const production = world.metrics.find((s) => s.service === SERVICE);
  const minutes = Array.from({ length: DEMO_HISTORY_MINUTES }, (_, i) => ({ at: production.seededThrough - (DEMO_HISTORY_MINUTES - 1 - i) * 60_000, failing: false }));
  const cpu = demoSeries(production, minutes)[0];
  const expected = new Map(cpu.points.map((p) => [new Date(Math.floor(p.at / 60_000) * 60_000).toISOString(), p.value]));
  const seededRows = table.rows.filter((r) => expected.has(r.time));
  // The window is the last 3 hours: earlier scenarios took some minutes, so the oldest seeded points may have left it.
  assert.ok(seededRows.length >= DEMO_HISTORY_MINUTES - 30, `seeded rows in the table: ${seededRows.length}`);
  for (const row of seededRows) assert.equal(Number(row.values[column]), expected.get(row.time), `CPU at ${row.time}`);
  await frame.locator('#toggle-view').click();
}
