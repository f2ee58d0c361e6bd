import { E2E_TEST_TIMEOUT_MS } from './ceilings';

// One ceiling for every end-to-end hook and test: files need not pass their own start-up timeouts.
jest.setTimeout(E2E_TEST_TIMEOUT_MS);
