// Consumer contract of the day's trade bill: alipay.data.dataservice.bill.downloadurl.query gives a
// short-lived link, and the connector GETs the zip it points to (docs/alipay-protocol.md §10). Both
// requests are in one test, because the real connector makes both in one call.
import { MatchersV3 } from '@pact-foundation/pact';
import { expect, it } from 'vitest';
import { gatewayStates } from '../states.ts';
import { connectorAt } from './support/connector.ts';
import { execRequest, gatewayPact, signedAnswer, success } from './support/gateway.ts';
import { signedRequests } from './support/request-recorder.ts';

const { fromProviderState, regex } = MatchersV3;

/**
 * The link in the signed answer names the mock server, so its port is in the signed bytes and in the
 * pact file: a fixed port keeps the committed file the same from run to run.
 */
const mockServerPort = 47_631;

/** An empty zip (its end-of-central-directory record alone): the connector hands the bytes on unread. */
const emptyZip = Buffer.from('504b0506000000000000000000000000000000000000', 'hex');

/**
 * The link's parameters. The provider mints a fresh link (it lives 30 seconds and carries a token), so
 * the replayed GET takes each value from the provider state (`fromProviderState`); these are examples.
 */
const linkParameters = {
  bizType: 'trade',
  userId: '20881021778468800156',
  fileType: 'csv.zip',
  bizDates: '20251231',
  downloadFileName: '20881021778468800156_20251231.csv.zip',
  fileId: '/trade/20881021778468800156/20251231.csv.zip',
  timestamp: '1767196805',
  appId: '2021000000000001',
  token: '3c6e0b8a9c15224a8228b9a98ca1531d',
} as const;

it('downloads the day\'s trade bill through the link downloadurl.query gives', async () => {
  const state = gatewayStates.billReady;
  const link = `http://127.0.0.1:${mockServerPort}/downloadBillFile.resource?${new URLSearchParams(linkParameters)}`;
  const pact = gatewayPact({ port: mockServerPort });
  pact
    .addInteraction()
    .given(state.name)
    .uponReceiving(`a bill link query for ${state.billDate}`)
    .withRequest('POST', '/gateway.do', (request) =>
      execRequest(request, { method: 'alipay.data.dataservice.bill.downloadurl.query', bizContent: { bill_type: 'trade', bill_date: state.billDate } }),
    )
    .willRespondWith(200, (response) =>
      signedAnswer(response, 'alipay.data.dataservice.bill.downloadurl.query', { ...success, bill_download_url: regex('^https?://\\S+$', link) }),
    );
  await pact
    .addInteraction()
    .given(state.name)
    .uponReceiving(`the download of the bill of ${state.billDate} through its link`)
    .withRequest('GET', '/downloadBillFile.resource', (request) => {
      const query: Record<string, ReturnType<typeof fromProviderState<string>> | string> = {};
      for (const [name, example] of Object.entries(linkParameters)) {
        query[name] = name === 'bizType' || name === 'fileType' ? example : fromProviderState(`\${${name}}`, example);
      }
      request.query(query);
    })
    .willRespondWith(200, (response) => {
      response.body('application/zip', emptyZip);
      response.headers({
        // Whatever the gateway calls the type, the bytes are a zip (checked on the body itself).
        'Content-Type': regex('^application/(zip|octet-stream).*$', 'application/octet-stream'),
        'Content-Disposition': regex('^attachment; ?filename="?[^"/]+\\.csv\\.zip"?$', `attachment; filename="${linkParameters.downloadFileName}"`),
      });
    })
    .executeTest(signedRequests(async (gateway, mockServer) => {
      expect(mockServer.url).toBe(`http://127.0.0.1:${mockServerPort}`);
      // The link in the answer names the mock server itself: the GET of the file goes there directly.
      const bill = await connectorAt(gateway).downloadBill(state.billDate);
      expect(bill).toEqual({ kind: 'ready', file: emptyZip, fileName: linkParameters.downloadFileName });
    }, { gatewayRequests: 1 }));
});
