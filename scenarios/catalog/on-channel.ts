// A channel-neutral scenario (faults named by layer, steps in the business's language) guards the same
// rule on every channel. A file under catalog/<channel>/ re-runs one written for another channel:
// the same prose, steps, faults and expectations, named `<channel>-<name>`, on this channel's wire.
import { defineScenario, type Scenario } from '../define.ts';

const layerApis = new Set(['notify', 'refund', 'bill', 'buyer']);

/** `scenario` on `channel`; refuses one whose faults name another channel's methods (it is not neutral). */
export function onChannel(scenario: Scenario, channel: string): Scenario {
  const named = scenario.faults.map((rule) => rule.match?.api).filter((api): api is string => api !== undefined && !layerApis.has(api));
  if (named.length > 0) throw new Error(`scenario ${scenario.name} is not channel-neutral: its faults name ${named.join(', ')}`);
  return defineScenario({ ...scenario, name: `${channel}-${scenario.name}`, channel });
}
