import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { shellQuote } from '../../src/core/text/shellQuote';
import { isValidRegion } from '../../src/core/connection/regions';
import { chunk, collectPages, mapLimit } from '../../src/core/async/batches';

describe('shellQuote', () => {
  it('passes hostile words to a real shell as one literal argument', () => {
    for (const word of ['plain', 'with space', "it's", '$(touch /tmp/pwned)', '`id`', 'a\nb', '-rf', '', '"dq"', '\\', '*']) {
      const echoed = execFileSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(word)}`]).toString();
      assert.equal(echoed, word);
    }
  });
});

describe('regions', () => {
  it('accepts region codes and rejects anything else', () => {
    for (const r of ['us-east-1', 'eu-central-2', 'us-gov-west-1', 'ap-southeast-4']) assert.ok(isValidRegion(r), r);
    for (const r of ['', 'us-east', 'US-EAST-1', 'us-east-1; rm', 'moto']) assert.ok(!isValidRegion(r), r);
  });
});

describe('batches', () => {
  it('collects the items of every page, a page without items counting as none', async () => {
    async function* pages() { yield { items: [1, 2] }; yield {}; yield { items: [3] }; }
    assert.deepEqual(await collectPages(pages(), (p: { items?: number[] }) => p.items), [1, 2, 3]);
  });

  it('maps with at most the limit in flight, in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([30, 10, 20, 5, 1], 2, async (ms) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return ms * 2;
    });
    assert.deepEqual(out, [60, 20, 40, 10, 2]);
    assert.equal(most, 2);
    assert.deepEqual(await mapLimit([], 4, async (x) => x), []);
  });

  it('chunks', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk([], 10), []);
  });
});
