/** The version of ecr-deploy (package.json's; a unit test keeps them equal): `--version` and the pin of generated workflows. */
export const ECR_DEPLOY_VERSION = '0.1.0';
