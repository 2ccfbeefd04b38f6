// The core's Alipay connector against the real simulator, with alipay-sdk in the event loop (the
// default); the tests are in alipay-suite.ts, shared with alipay-sdk-thread.test.ts.
import { alipayConnectorTests } from './alipay-suite.ts';

alipayConnectorTests(false);
