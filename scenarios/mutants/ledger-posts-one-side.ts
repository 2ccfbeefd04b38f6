// Books only the debit side of each payment entry: the cash is recorded, the liability to the merchant is not.
import type { JournalEntry } from '../../core/domain/index.ts';
import { createPaymentResolver } from '../../core/services/payment-resolver.ts';
import { collections } from '../../core/services/records.ts';
import { defineMutant, rewritePuts, withCommit } from './mutant.ts';

export default defineMutant({
  name: 'ledger-posts-one-side',
  breaks: 'double entry: every ledger entry balances (debits = credits)',
  why:
    'A team writes "money in" as one row of a balance table instead of a journal entry with two sides; it works until the ' +
    'books must tie out. Seed 002 (支付系统、清结算与资损防控): accounting is double entry, and the ledger must balance.',
  components: {
    payments: (context, dependencies) =>
      createPaymentResolver(
        withCommit(context, (mutations) => rewritePuts<JournalEntry>(mutations, collections.ledger, (entry) => ({ ...entry, postings: entry.postings.filter((posting) => posting.side === 'debit') }))),
        dependencies,
      ),
  },
  killers: ['happy-path'],
});
