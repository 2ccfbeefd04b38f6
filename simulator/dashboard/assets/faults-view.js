// The fault rules view: the installed rules with how often each matched and fired, and a form that
// starts from the template of a fault type (its fields, the layer's match.api) and posts the rule as
// JSON to /_sim/faults, exactly what a script would send.
import { act, api, h, pill, toast } from './ui.js';
import { card, data, section } from './common.js';

const compact = (value) => JSON.stringify(value);

function templateForm() {
  const templates = data.faultTemplates ?? [];
  const layers = [...new Set(templates.map((template) => template.layer))];
  const select = h('select', { id: 'fault-type' }, layers.map((layer) => h('optgroup', { label: layer }, templates.filter((template) => template.layer === layer).map((template) => h('option', { value: template.type }, template.type)))));
  const effect = h('p', { class: 'muted', id: 'fault-effect' });
  const faultFields = h('div', { class: 'fields', id: 'fault-fields' });
  const matchFields = h('div', { class: 'fields', id: 'match-fields' });
  const preview = h('pre', { class: 'mono small', id: 'fault-preview', style: 'background:#f9fafb;border:1px solid var(--line);border-radius:8px;padding:.6rem;white-space:pre-wrap' });
  const field = (name, label, value, attributes = {}) => h('label', { class: 'field' }, label, h('input', { name, value: value ?? '', ...attributes }));
  const numberOrText = (input) => (input.dataset.kind === 'number' ? Number(input.value) : input.value);

  const build = () => {
    const template = templates.find((item) => item.type === select.value);
    const fault = { type: template.type };
    for (const input of faultFields.querySelectorAll('input')) if (input.value !== '') fault[input.name] = numberOrText(input);
    const match = {};
    for (const input of matchFields.querySelectorAll('input, select')) {
      if (input.name === 'timesMax' || input.value === '') continue;
      match[input.name] = input.name === 'nth' || input.name === 'probability' ? Number(input.value) : input.value;
    }
    const timesMax = matchFields.querySelector('[name=timesMax]').value;
    return { match, fault, ...(timesMax !== '' ? { timesMax: Number(timesMax) } : {}) };
  };
  const show = () => {
    const template = templates.find((item) => item.type === select.value);
    effect.textContent = template.effect;
    faultFields.replaceChildren(...Object.entries(template.fault).filter(([name]) => name !== 'type').map(([name, value]) => field(name, `fault.${name}`, value, typeof value === 'number' ? { 'data-kind': 'number', type: 'number' } : {})));
    const notifyLayer = template.layer === 'notify' || template.layer === 'trade';
    matchFields.replaceChildren(...[
      h('label', { class: 'field' }, 'match.channel', h('select', { name: 'channel' }, h('option', { value: '' }, 'any'), (data.channels ?? []).map((channel) => h('option', { value: channel }, channel)))),
      field('api', 'match.api', template.api ?? '', { placeholder: template.layer === 'gateway' ? 'any call, or alipay.trade.query' : '' }),
      field('outTradeNo', 'match.outTradeNo (regex)', '', { placeholder: '^P2026' }),
      notifyLayer ? h('label', { class: 'field' }, 'match.notifyKind', h('select', { name: 'notifyKind' }, h('option', { value: '' }, 'any'), (data.notifyKinds ?? []).map((kind) => h('option', { value: kind }, kind)))) : null,
      field('nth', 'match.nth', '', { type: 'number', min: 1 }),
      field('probability', 'match.probability', '', { type: 'number', step: '0.05', min: 0, max: 1 }),
      field('timesMax', 'timesMax', '', { type: 'number', min: 1 }),
    ].filter(Boolean));
    preview.textContent = JSON.stringify(build(), null, 1);
  };
  select.addEventListener('change', show);
  const form = h('form', { id: 'fault-form', oninput: () => (preview.textContent = JSON.stringify(build(), null, 1)), onsubmit: (event) => event.preventDefault() },
    h('div', { class: 'row' }, h('label', { class: 'field' }, 'fault type', select), effect),
    faultFields, matchFields, preview,
    h('button', {
      class: 'primary', type: 'submit', id: 'add-fault',
      onclick: async (event) => {
        const answer = await act(event.currentTarget, () => api('POST', '/_sim/faults', build()));
        if (answer) {
          toast(`rule ${answer.id} added`);
          await drawFaults();
        }
      },
    }, 'Add rule'));
  show();
  return form;
}

let faultForm;
export async function drawFaults() {
  const { magicValues, rules } = await api('GET', '/_sim/faults');
  faultForm ??= templateForm();
  const rows = rules.map((rule) =>
    h('tr', { 'data-rule': rule.id },
      h('td', { class: 'mono' }, rule.id),
      h('td', {}, pill(rule.fault.type, 'bad')),
      h('td', { class: 'mono small' }, compact(rule.match)),
      h('td', { class: 'mono small' }, Object.keys(rule.fault).length > 1 ? compact(Object.fromEntries(Object.entries(rule.fault).filter(([name]) => name !== 'type'))) : '—'),
      h('td', { class: 'right' }, rule.timesMax ?? '∞'),
      h('td', { class: 'right', 'data-seen': rule.seen }, rule.seen),
      h('td', { class: 'right', 'data-fired': rule.fired }, rule.fired),
      h('td', {}, rule.source),
      h('td', {}, h('button', { class: 'danger', 'data-remove': rule.id, onclick: async (event) => {
        if (await act(event.currentTarget, () => api('DELETE', `/_sim/faults/${encodeURIComponent(rule.id)}`))) await drawFaults();
      } }, 'Remove')),
    ));
  const table = h('table', { id: 'fault-rules' }, h('thead', {}, h('tr', {}, ...['id', 'fault', 'match', 'fields', 'times max', 'matched', 'fired', 'from', ''].map((name) => h('th', {}, name)))), h('tbody', {}, rows));
  const magic = h('label', { class: 'row small' }, h('input', { type: 'checkbox', id: 'magic-values', checked: magicValues, onchange: async (event) => {
    await act(null, () => api('PUT', '/_sim/faults/magic', { enabled: event.currentTarget.checked }));
    await drawFaults();
  } }), 'magic amounts and subject tags (4000.04 …, [paysim:drop])');
  const clear = rules.length === 0 ? null : h('button', { class: 'danger', onclick: async (event) => {
    if (await act(event.currentTarget, () => api('DELETE', '/_sim/faults'))) await drawFaults();
  } }, 'Remove all');
  section('faults').replaceChildren(
    card('Fault rules', rules.length, h('div', { class: 'row', style: 'margin-bottom:.5rem' }, magic, h('span', { style: 'margin-left:auto' }, clear)), rules.length === 0 ? h('p', { class: 'empty' }, 'No rule: every exchange behaves as the channel does.') : table),
    card('Add a rule', undefined, faultForm),
  );
}

/** Redraws only the counts while the rules are the same, so a half-filled form is kept. */
export async function updateFaults() {
  const { rules } = await api('GET', '/_sim/faults');
  const drawn = [...document.querySelectorAll('#fault-rules tbody tr')].map((row) => row.dataset.rule);
  if (drawn.join() !== rules.map((rule) => rule.id).join()) return drawFaults();
  for (const rule of rules) {
    const row = document.querySelector(`#fault-rules tr[data-rule="${CSS.escape(rule.id)}"]`);
    row.querySelector('[data-seen]').textContent = rule.seen;
    row.querySelector('[data-fired]').textContent = rule.fired;
  }
}
