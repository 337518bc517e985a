import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { reportHtml } from '../../src/features/doctor/reportHtml';
import type { DoctorReport } from '../../src/app/doctor/report';

const report: DoctorReport = {
  cluster: 'c',
  service: 'web',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
  checks: [
    { id: 'health-check', status: 'ok', message: 'The health checks pass.', evidence: ['app: CMD-SHELL curl -f http://localhost/healthz'] },
    { id: 'image-exists', status: 'problem', message: 'web has no image v9.', evidence: ['<script>alert(1)</script> & "quoted"'], next: 'Push it.', followUps: ['deploy', 'show-events'] },
  ],
};
const html = (trusted: boolean) => reportHtml(report, { nonce: 'n0nce', trusted, at: new Date(0) });

describe('the Diagnose Service report page', () => {
  it('problems first, AWS text escaped, one nonce for the only script and style', () => {
    const page = html(true);
    assert.ok(page.indexOf('image-exists') < page.indexOf('health-check'), 'the problem comes before the ok check');
    assert.ok(!page.includes('<script>alert(1)'), 'evidence is escaped');
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;'));
    assert.match(page, /content="default-src 'none'; style-src 'nonce-n0nce'; script-src 'nonce-n0nce';"/);
    assert.equal(page.match(/<script/g)?.length, 1);
    assert.match(page, /1 problem, 1 ok/);
    assert.match(page, /<details open><summary>Evidence \(1\)/, "a problem's evidence is open");
  });

  it('next steps as buttons; Deploy Image... only in a trusted workspace', () => {
    assert.match(html(true), /data-action="deploy"[^>]*>Deploy Image\.\.\.</);
    assert.doesNotMatch(html(false), /data-action="deploy"/);
    assert.match(html(false), /data-action="show-events"/);
    assert.match(html(false), /data-action="rerun">Run Again</);
  });
});
