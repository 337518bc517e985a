/** The source of scan diagnostics, apart from their class: the code-action provider registered at activation needs only this. */
export const DIAGNOSTIC_SOURCE = 'ECR scan';
