/**
 * Ceilings for end-to-end tests: how long to wait before calling something failed, not how long it
 * should take. Generous, because a 2-core machine shared with other work starts a bot in tens of seconds.
 */

/** How long BotHarness waits for the bot to be ready (data loaded, parser warm, listening). */
export const BOT_START_CEILING_MS = 180_000;

/** Every end-to-end test and hook (jest's timeout): above BOT_START_CEILING_MS, so a slow start fails with its own message. */
export const E2E_TEST_TIMEOUT_MS = 240_000;
