// Loss-prevention checks (资损防控) over the core's records, pure: the same records give the same
// report. Each check has a name, a category from the seed article (sum of parts, sequence,
// idempotency, timeliness) and findings that say what to look at. A check passes with no findings.
import type { CheckCategory, CheckInput, CheckName, CheckResult, Finding } from './check-types.ts';
import { noRefundBeforePay, noSuccessKeptAfterClose, notificationsDelivered, paymentsResolved, refundsNotStuck, unpaidOrdersClosedInTime } from './checks-flow.ts';
import { ledgerBalanced, ledgerCoversRecords, noDoubleCredit, noDuplicateRefund, paidOrdersMatchPayments, refundsWithinPaid } from './checks-money.ts';
import { defaultDomainPolicy, type DomainPolicy } from './policy.ts';

export type { CheckCategory, CheckInput, CheckName, CheckResult, Finding } from './check-types.ts';

interface CheckDefinition {
  readonly name: CheckName;
  readonly category: CheckCategory;
  readonly run: (input: CheckInput, policy: DomainPolicy) => Finding[];
}

export const checkDefinitions: readonly CheckDefinition[] = [
  { name: 'refundsWithinPaid', category: 'sumOfParts', run: refundsWithinPaid },
  { name: 'paidOrdersMatchPayments', category: 'sumOfParts', run: paidOrdersMatchPayments },
  { name: 'ledgerBalanced', category: 'sumOfParts', run: ledgerBalanced },
  { name: 'ledgerCoversRecords', category: 'sumOfParts', run: ledgerCoversRecords },
  { name: 'noRefundBeforePay', category: 'sequence', run: noRefundBeforePay },
  { name: 'noSuccessKeptAfterClose', category: 'sequence', run: noSuccessKeptAfterClose },
  { name: 'noDoubleCredit', category: 'idempotency', run: noDoubleCredit },
  { name: 'noDuplicateRefund', category: 'idempotency', run: noDuplicateRefund },
  { name: 'unpaidOrdersClosedInTime', category: 'timeliness', run: unpaidOrdersClosedInTime },
  { name: 'paymentsResolved', category: 'timeliness', run: paymentsResolved },
  { name: 'refundsNotStuck', category: 'timeliness', run: refundsNotStuck },
  { name: 'notificationsDelivered', category: 'timeliness', run: notificationsDelivered },
];

/** Runs every check (or the named ones) and reports each, passed or not. */
export function runChecks(input: CheckInput, policy: DomainPolicy = defaultDomainPolicy, only?: readonly CheckName[]): CheckResult[] {
  return checkDefinitions
    .filter((definition) => only === undefined || only.includes(definition.name))
    .map((definition) => {
      const findings = definition.run(input, policy);
      return { name: definition.name, category: definition.category, passed: findings.length === 0, findings };
    });
}
