import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { shellQuote } from '../../src/core/text/shellQuote';
import { isValidRegion } from '../../src/core/connection/regions';
import { chunk, collectAll, paginate } from '../../src/aws/paginate';

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

describe('paginate', () => {
  it('reads every page and stops on a repeated token', async () => {
    const pages: Record<string, { items: number[]; nextToken?: string }> = { start: { items: [1, 2], nextToken: 'a' }, a: { items: [3], nextToken: 'b' }, b: { items: [4] } };
    assert.deepEqual(await collectAll(paginate(async (t) => pages[t ?? 'start'])), [1, 2, 3, 4]);
    let calls = 0;
    const looping = await collectAll(paginate(async () => ({ items: [++calls], nextToken: 'same' })));
    assert.deepEqual(looping, [1, 2]);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const run = collectAll(paginate(async () => { controller.abort(); return { items: [1], nextToken: 'x' }; }, controller.signal));
    await assert.rejects(run, { name: 'AbortError' });
  });

  it('chunks', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk([], 10), []);
  });
});
