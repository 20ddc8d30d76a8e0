// Accessible form widgets: the métier autocomplete (ARIA 1.2 combobox) and
// the 1–5 star rating (a native radio group, so arrow keys work).
import { useEffect, useRef, useState } from 'preact/hooks';
import { searchMetiers, type MetierHit } from './api';

let seq = 0;

/** A search hit that can be chosen: the contract makes code and label optional on a MetierRef. */
export type PickedMetier = MetierHit & { code: string; label: string };
const choosable = (m: MetierHit): m is PickedMetier => !!m.code && !!m.label;

export function MetierCombobox(props: {
  id: string;
  label: string;
  hint?: string;
  disabled?: boolean;
  onPick: (m: PickedMetier) => void;
}) {
  const [q, setQ] = useState('');
  const [items, setItems] = useState<PickedMetier[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState('');
  const ctl = useRef<AbortController | null>(null);
  const listId = `${props.id}-list`;

  useEffect(() => {
    const text = q.trim();
    if (text.length < 2) {
      setItems([]);
      setOpen(false);
      setStatus('');
      return;
    }
    const t = setTimeout(() => {
      ctl.current?.abort();
      const c = new AbortController();
      ctl.current = c;
      const mine = ++seq;
      searchMetiers(text, c.signal).then(
        (r) => {
          if (mine !== seq) return;
          const list = r.items.filter(choosable).slice(0, 12);
          setItems(list);
          setOpen(true);
          setActive(list.length ? 0 : -1);
          setStatus(list.length ? `${list.length} métier${list.length > 1 ? 's' : ''} proposé${list.length > 1 ? 's' : ''}` : 'Aucun métier trouvé');
        },
        (e) => {
          if (e?.name === 'AbortError') return;
          setStatus(`Recherche impossible : ${e.message}`);
        },
      );
    }, 180);
    return () => clearTimeout(t);
  }, [q]);

  function pick(m: PickedMetier) {
    props.onPick(m);
    setQ('');
    setItems([]);
    setOpen(false);
    setStatus(`${m.label} (${m.code}) ajouté`);
  }

  return (
    <div class="combo">
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={props.id}
        type="text"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded={open && items.length > 0}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        disabled={props.disabled}
        value={q}
        placeholder="ex. data engineer, M1811"
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            if (!open && items.length) setOpen(true);
            setActive((a) => Math.min(items.length - 1, a + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === 'Enter') {
            if (open && active >= 0 && items[active]) {
              e.preventDefault();
              pick(items[active]);
            }
          } else if (e.key === 'Escape') {
            setOpen(false);
          }
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <ul id={listId} role="listbox" class="combo-list" hidden={!open || items.length === 0} aria-label={props.label}>
        {items.map((m, i) => (
          <li
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            class={i === active ? 'active' : ''}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(m);
            }}
          >
            <span class="code">{m.code}</span> {m.label}
            {m.matchedAppellation && m.matchedAppellation !== m.label ? <span class="appel"> — {m.matchedAppellation}</span> : null}
            {m.executive ? <span class="tag">cadre</span> : null}
          </li>
        ))}
      </ul>
      <p class="sr-only" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}

export function Stars(props: { name: string; label: string; value: number; onChange: (v: number) => void }) {
  const words = ['', 'notions', 'débutant', 'intermédiaire', 'confirmé', 'expert'];
  return (
    <fieldset class="stars">
      <legend class="sr-only">Niveau en {props.label}</legend>
      {[1, 2, 3, 4, 5].map((n) => (
        <label class={n <= props.value ? 'star on' : 'star'} title={`${n} sur 5 : ${words[n]}`}>
          <input
            type="radio"
            class="sr-only"
            name={props.name}
            value={n}
            checked={props.value === n}
            onChange={() => props.onChange(n)}
          />
          <span aria-hidden="true">★</span>
          <span class="sr-only">
            {n} sur 5 ({words[n]})
          </span>
        </label>
      ))}
    </fieldset>
  );
}
