// How a benchmark hands its headline figures to `npm run bench`'s summary table: one JSON line per figure,
// appended to the file named by $ECR_DEPLOY_BENCH_RESULTS (a benchmark run on its own just prints).
import { appendFileSync } from 'node:fs';

/**
 * @param {object} row
 * @param {string} row.figure     what is measured, e.g. "activation (VS Code's Running Extensions)"
 * @param {string} row.project    this project's figure, with its unit
 * @param {string} [row.peer]     the peer's figure (the AWS CLI, the raw SDK, a floor extension), with what the peer is
 * @param {number} [row.ratio]    project / peer
 * @param {string} row.goal       e.g. "<= 5x the floor"
 * @param {boolean | null} row.met  null: no goal is stated for this figure
 * @param {string} [row.note]     e.g. "peer is AWS CLI v1, not v2"
 */
export function reportFigure(row) {
  const line = JSON.stringify(row);
  console.log(`result: ${line}`);
  if (process.env.ECR_DEPLOY_BENCH_RESULTS) appendFileSync(process.env.ECR_DEPLOY_BENCH_RESULTS, `${line}\n`);
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
