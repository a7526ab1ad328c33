import assert from 'node:assert/strict';
import { RUN_LABEL } from '../support/services';

/** Where the services the runner started are (test/support/services.ts sets these). */
export function testEnv(): { runId: string; image: string; registry: string; motoUrl: string } {
  const { LWB_TEST_RUN_ID, LWB_TEST_IMAGE_NODE, LWB_TEST_REGISTRY, LWB_TEST_MOTO_URL } = process.env;
  assert.ok(
    LWB_TEST_RUN_ID && LWB_TEST_IMAGE_NODE && LWB_TEST_REGISTRY && LWB_TEST_MOTO_URL,
    'system tests run under the test runner (npm test), which starts Docker, the registry and moto',
  );
  return { runId: LWB_TEST_RUN_ID, image: LWB_TEST_IMAGE_NODE, registry: LWB_TEST_REGISTRY, motoUrl: LWB_TEST_MOTO_URL };
}

/**
 * The Python test images by the runtime each stands for, as it really runs it: CPython from
 * Debian, 3.13 (trixie) and 3.11 (bookworm), with AWS's awslambdaric (scripts/test-images/python.sh).
 */
export function pythonImages(): { 'python3.13': string; 'python3.11': string; build313: string } {
  const { LWB_TEST_IMAGE_PYTHON313, LWB_TEST_IMAGE_PYTHON311, LWB_TEST_IMAGE_PYTHON313_BUILD } = process.env;
  assert.ok(LWB_TEST_IMAGE_PYTHON313 && LWB_TEST_IMAGE_PYTHON311 && LWB_TEST_IMAGE_PYTHON313_BUILD, 'the test runner imports the Python test images (test/support/services.ts)');
  return { 'python3.13': LWB_TEST_IMAGE_PYTHON313, 'python3.11': LWB_TEST_IMAGE_PYTHON311, build313: LWB_TEST_IMAGE_PYTHON313_BUILD };
}

/** Labels every container a test creates, so the runner removes what a failed test left. */
export function runLabels(): Record<string, string> {
  return { [RUN_LABEL]: testEnv().runId };
}

export function motoClientConfig(): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } } {
  return { endpoint: testEnv().motoUrl, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
}
