// What the scenario language needs to know about each channel: the pay method a `pay` step uses when
// it names none. Adding a channel's scenarios (scenarios/catalog/<channel>/) starts with a line here.
export interface ScenarioChannel {
  readonly defaultMethod: string;
  readonly displayName: string;
}

export const scenarioChannels: Readonly<Record<string, ScenarioChannel>> = {
  alipay: { defaultMethod: 'alipay.qr', displayName: 'Alipay' },
  wechatpay: { defaultMethod: 'wechatpay.native', displayName: 'WeChat Pay' },
};

export function scenarioChannel(name: string): ScenarioChannel {
  const channel = scenarioChannels[name];
  if (!channel) throw new RangeError(`no scenario support for channel ${JSON.stringify(name)}; channels: ${Object.keys(scenarioChannels).join(', ')}`);
  return channel;
}
