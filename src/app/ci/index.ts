/** The CI use cases as one lazily loaded module (dist/ci.js in the extension): the generator and its check. */
export * from './releaseWorkflow';
export { workflowProblems } from './workflowCheck';
export { workflowFlagProblems, type WorkflowFlagProblem } from './workflowFlags';
