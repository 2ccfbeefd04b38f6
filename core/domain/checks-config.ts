// Configuration-limit checks: a wrong number in config loses money on every payment, so the numbers
// that move money are checked against sane bounds, at start and with every check run.
import type { Finding } from './check-types.ts';
import { defaultDomainPolicy, type DomainPolicy } from './policy.ts';
import type { RiskRule } from './risk.ts';
import type { RoutingTable } from './routing.ts';

export function configurationLimits(
  config: { readonly routing: RoutingTable; readonly riskRules: readonly RiskRule[] },
  policy: DomainPolicy = defaultDomainPolicy,
): Finding[] {
  const findings: Finding[] = [];
  for (const [method, route] of Object.entries(config.routing)) {
    const subject = `route:${method}`;
    if (route.feeBasisPoints < 0) findings.push({ subject, detail: `negative fee ${route.feeBasisPoints} bp` });
    if (route.feeBasisPoints > policy.checks.feeBasisPointsMax) {
      findings.push({ subject, detail: `fee ${route.feeBasisPoints} bp is above the ${policy.checks.feeBasisPointsMax} bp limit` });
    }
    if (route.channel === 'balance' && route.feeBasisPoints !== 0) findings.push({ subject, detail: 'the balance method charges a fee, yet no channel takes one' });
  }
  const blockers = config.riskRules.filter((rule) => rule.kind === 'amountLimit' && rule.action === 'block' && rule.amountFenMax === 0 && !rule.methods);
  for (const rule of blockers) findings.push({ subject: `risk-rule:${rule.id}`, detail: 'blocks every payment' });
  return findings;
}
