// The scenario's names for what the core hands out: order "A" is orderNo O2026…, its payments "A",
// "A-2" (or the label a pay step gives), refund "R1". The timeline shows labels, not numbers.
export class Labels {
  private readonly orders = new Map<string, string>();
  private readonly paymentsByOrder = new Map<string, string[]>();
  private readonly paymentLabels = new Map<string, string>();
  private readonly paymentByLabel = new Map<string, string>();
  private readonly refunds = new Map<string, string>();
  private readonly refundLabels = new Map<string, string>();

  order(label: string, orderNo: string): void {
    this.orders.set(label, orderNo);
  }

  orderNo(label: string): string {
    const orderNo = this.orders.get(label);
    if (!orderNo) throw new Error(`order ${label} was not created (its createOrder step failed)`);
    return orderNo;
  }

  orderLabels(): readonly [string, string][] {
    return [...this.orders];
  }

  private readonly links = new Map<string, string>();

  payment(orderLabel: string, paymentNo: string, label?: string, link?: string): void {
    if (link) this.links.set(paymentNo, link);
    if (this.paymentLabels.has(paymentNo)) return;
    const payments = this.paymentsByOrder.get(orderLabel) ?? [];
    payments.push(paymentNo);
    this.paymentsByOrder.set(orderLabel, payments);
    const name = label ?? (payments.length === 1 ? orderLabel : `${orderLabel}-${payments.length}`);
    this.paymentLabels.set(paymentNo, name);
    this.paymentByLabel.set(name, paymentNo);
  }

  /** A payment by its label, or the order's latest. */
  paymentNo(orderLabel: string, label?: string): string {
    const paymentNo = label ? this.paymentByLabel.get(label) : this.paymentsByOrder.get(orderLabel)?.at(-1);
    if (!paymentNo) throw new Error(label ? `no payment ${label}` : `order ${orderLabel} has no payment yet (add a pay step first)`);
    return paymentNo;
  }

  /** The pay URL or QR code the core handed out for the payment. */
  linkOf(paymentNo: string): string | undefined {
    return this.links.get(paymentNo);
  }

  paymentLabel(paymentNo: string): string {
    return this.paymentLabels.get(paymentNo) ?? 'an unknown payment';
  }

  knowsPayment(paymentNo: string): boolean {
    return this.paymentLabels.has(paymentNo);
  }

  /** The text with every payment number it mentions replaced by the payment's label. */
  relabel(text: string): string {
    let shown = text;
    for (const [paymentNo, label] of this.paymentLabels) shown = shown.split(paymentNo).join(`payment ${label}`);
    return shown;
  }

  refund(label: string, refundNo: string): void {
    this.refunds.set(label, refundNo);
    this.refundLabels.set(refundNo, label);
  }

  refundNo(label: string): string | undefined {
    return this.refunds.get(label);
  }

  refundLabel(refundNo: string): string | undefined {
    return this.refundLabels.get(refundNo);
  }

  orderLabel(orderNo: string): string | undefined {
    for (const [label, number] of this.orders) if (number === orderNo) return label;
    return undefined;
  }
}
