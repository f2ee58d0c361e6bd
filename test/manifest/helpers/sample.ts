/** Sample configuration shared by the manifest tests. */
export const SAMPLE_BOT_ID = '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
export const SAMPLE_TEAMS_APP_ID = 'aa11bb22-cc33-4d44-8e55-ff6677889900';
export const SAMPLE_ENV = { MicrosoftAppId: SAMPLE_BOT_ID };
