import { expect, it } from 'vitest';
import { CoreConfigError, coreDefaults, parseCoreConfig } from '../../../core/config.ts';
import { defaultDomainPolicy, defaultRoutingTable } from '../../../core/domain/index.ts';

it('fills every default when given nothing', () => {
  expect(parseCoreConfig()).toEqual(coreDefaults);
});

it('rejects an unknown key, naming it and the known ones', () => {
  expect(() => parseCoreConfig({ prot: 1 } as never)).toThrowError(/unknown key\(s\) prot; known: host, port/);
});

it('rejects a webhook that is not an http(s) URL', () => {
  expect(() => parseCoreConfig({ merchantWebhookUrl: 'ftp://example.com/hook' })).toThrowError(CoreConfigError);
  expect(() => parseCoreConfig({ merchantWebhookUrl: 'not a url' })).toThrowError(/merchantWebhookUrl must be an http\(s\) URL/);
});

it('merges a partial policy over the domain defaults, slice by slice', () => {
  const config = parseCoreConfig({ policy: { refund: { pollFirstDelayMs: 5_000 } } });
  expect(config.policy.refund).toEqual({ ...defaultDomainPolicy.refund, pollFirstDelayMs: 5_000 });
  expect(config.policy.payment).toEqual(defaultDomainPolicy.payment);
});

it('rejects a query schedule, routing table or number that would misbehave at run time', () => {
  expect(() => parseCoreConfig({ policy: { payment: { querySteps: [{ untilAgeMs: 1_000, everyMs: 0 }] } } })).toThrowError(CoreConfigError);
  expect(() => parseCoreConfig({ routing: { ...defaultRoutingTable, 'alipay.qr': { ...defaultRoutingTable['alipay.qr'], feeBasisPoints: -1 } } })).toThrowError(/feeBasisPoints/);
  expect(() => parseCoreConfig({ bodyBytesMax: 0 })).toThrowError(/bodyBytesMax must be a positive integer/);
  expect(() => parseCoreConfig({ port: 70_000 })).toThrowError(/port/);
  expect(() => parseCoreConfig({ policy: { payments: {} } as never })).toThrowError(/unknown policy slice/);
});
