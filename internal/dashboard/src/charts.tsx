// Small SVG charts for side-by-side comparison of zones. Hand-written on
// purpose: three chart shapes do not justify a 200 KB charting library, and
// SVG keeps every mark inspectable and printable. Each chart has a data
// table next to it (the accessible equivalent) whose values carry sources.
import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Figure } from './api';
import { fmt, fmtShort, isNum, num } from './format';

/**
 * useWidth measures an element so a chart can draw at its real pixel width:
 * text then stays legible from a phone to a wide screen instead of being
 * scaled with the whole drawing.
 */
export function useWidth<T extends HTMLElement>(fallback: number): [Ref<T>, number] {
  const ref = useRef<T>(null);
  const [w, setW] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((es) => {
      const cw = Math.round(es[0].contentRect.width);
      if (cw > 0) setW(Math.max(260, cw));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, w];
}

export const PALETTE = ['#000091', '#c9191e', '#18753c', '#b34000'];

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function monthLabel(period: string | undefined, i: number): string {
  if (!period) return String(i + 1);
  const m = /^(\d{4})-(\d{2})/.exec(period);
  if (!m) return period;
  const names = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
  return `${names[Number(m[2]) - 1]} ${m[1].slice(2)}`;
}

/** OffersChart: one bar series per zone, months on x, shared y scale. */
export function OffersChart(props: { series: { label: string; months: Figure[] }[]; title: string; width?: number }) {
  const W = props.width ?? 960,
    H = 250,
    L = 44,
    B = 36,
    T = 10,
    R = 8;
  const months = Math.max(0, ...props.series.map((s) => s.months.length));
  const top = Math.max(0, ...props.series.flatMap((s) => s.months.filter(isNum).map((f) => f.value)));
  // offers are counts: integer steps, about four of them
  const stepI = Math.max(1, Math.ceil(niceMax(top / 4)));
  const max = Math.max(stepI, Math.ceil(top / stepI) * stepI);
  const pw = (W - L - R) / Math.max(1, months);
  const bw = Math.max(2, (pw - 4) / Math.max(1, props.series.length));
  const y = (v: number) => T + (H - T - B) * (1 - v / max);
  const ticks: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += stepI) ticks.push(t);
  const periods = props.series[0]?.months.map((f) => f.period) || [];
  if (!months) return <p class="muted">Aucune série mensuelle : donnée indisponible.</p>;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} class="chart" role="img" aria-label={props.title}>
      {ticks.map((t) => (
        <g>
          <line x1={L} x2={W - R} y1={y(t)} y2={y(t)} class="grid" />
          <text x={L - 6} y={y(t) + 4} class="axis" text-anchor="end">
            {num(t, 0)}
          </text>
        </g>
      ))}
      {props.series.map((s, si) =>
        s.months.map((f, mi) => {
          const x = L + mi * pw + 2 + si * bw;
          if (!isNum(f))
            return (
              <g>
                <rect x={x} y={y(max) } width={bw - 1} height={H - B - y(max)} fill="url(#hatch-chart)" opacity="0.5" />
                <title>{`${s.label}, ${monthLabel(f.period, mi)} : donnée indisponible`}</title>
              </g>
            );
          return (
            <rect x={x} y={y(f.value)} width={bw - 1} height={Math.max(0, H - B - y(f.value))} fill={PALETTE[si % PALETTE.length]}>
              <title>{`${s.label}, ${monthLabel(f.period, mi)} : ${fmt(f)}`}</title>
            </rect>
          );
        }),
      )}
      {periods.map((p, i) =>
        i % Math.max(1, Math.ceil((months * 56) / (W - 60))) === 0 ? (
          <text x={L + i * pw + pw / 2} y={H - B + 16} class="axis" text-anchor="middle">
            {monthLabel(p, i)}
          </text>
        ) : null,
      )}
      <defs>
        <pattern id="hatch-chart" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <line x1="0" y1="0" x2="0" y2="5" stroke="#888" stroke-width="1.5" />
        </pattern>
      </defs>
    </svg>
  );
}

/** SalaryChart: q1–q3 bar with the median tick per zone, against the wished range. */
export function SalaryChart(props: {
  rows: { label: string; q1?: Figure; median?: Figure; q3?: Figure }[];
  wished?: { min?: number; max?: number };
  title: string;
  width?: number;
}) {
  const W = props.width ?? 440,
    rowH = 34,
    L = 110,
    R = 16,
    T = 8,
    B = 28;
  const H = T + B + rowH * props.rows.length;
  const vals = props.rows.flatMap((r) => [r.q1, r.median, r.q3].filter(isNum).map((f) => f.value));
  if (props.wished?.min) vals.push(props.wished.min);
  if (props.wished?.max) vals.push(props.wished.max);
  if (!vals.length) return <p class="muted">Salaires : donnée indisponible.</p>;
  const lo = Math.max(0, Math.min(...vals) * 0.85);
  const hi = Math.max(...vals) * 1.08;
  const x = (v: number) => L + ((W - L - R) * (v - lo)) / (hi - lo || 1);
  const step = niceMax((hi - lo) / 4) / 2 >= 250 ? niceMax((hi - lo) / 4) : 500;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) ticks.push(t);
  const w = props.wished;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} class="chart" role="img" aria-label={props.title}>
      {w && (w.min || w.max) ? (
        <g>
          <rect
            x={x(w.min ?? lo)}
            y={T}
            width={Math.max(2, x(w.max ?? hi) - x(w.min ?? lo))}
            height={rowH * props.rows.length}
            class="wished"
          />
          <text x={x(w.min ?? lo) + 4} y={H - 4} class="axis wished-label">
            fourchette souhaitée
          </text>
        </g>
      ) : null}
      {ticks.map((t) => (
        <g>
          <line x1={x(t)} x2={x(t)} y1={T} y2={H - B} class="grid" />
          <text x={x(t)} y={H - B + 14} class="axis" text-anchor="middle">
            {num(t, 0)} €
          </text>
        </g>
      ))}
      {props.rows.map((r, i) => {
        const cy = T + i * rowH + rowH / 2;
        const color = PALETTE[i % PALETTE.length];
        return (
          <g>
            <text x={L - 8} y={cy + 4} class="axis row-label" text-anchor="end">
              {r.label}
            </text>
            {isNum(r.q1) && isNum(r.q3) ? (
              <rect x={x(r.q1.value)} y={cy - 8} width={Math.max(2, x(r.q3.value) - x(r.q1.value))} height={16} fill={color} opacity="0.35">
                <title>{`${r.label} : 1er quartile ${fmt(r.q1)}, 3e quartile ${fmt(r.q3)}`}</title>
              </rect>
            ) : null}
            {isNum(r.median) ? (
              <rect x={x(r.median.value) - 2} y={cy - 12} width={4} height={24} fill={color}>
                <title>{`${r.label} : médiane ${fmt(r.median)}`}</title>
              </rect>
            ) : (
              <text x={L + 6} y={cy + 4} class="axis missing">
                donnée indisponible
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** BarChart: one horizontal bar per zone (tension, match…), shared scale. */
export function HBarChart(props: { rows: { label: string; f?: Figure }[]; title: string; max?: number; width?: number }) {
  const W = props.width ?? 440,
    rowH = 30,
    L = 110,
    R = 60,
    T = 6;
  const H = T * 2 + rowH * props.rows.length;
  const vals = props.rows.map((r) => r.f).filter(isNum).map((f) => f.value);
  const max = props.max ?? niceMax(Math.max(0, ...vals));
  const x = (v: number) => L + ((W - L - R) * Math.max(0, v)) / (max || 1);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} class="chart" role="img" aria-label={props.title}>
      {props.rows.map((r, i) => {
        const cy = T + i * rowH + rowH / 2;
        return (
          <g>
            <text x={L - 8} y={cy + 4} class="axis row-label" text-anchor="end">
              {r.label}
            </text>
            <rect x={L} y={cy - 9} width={W - L - R} height={18} class="track" />
            {isNum(r.f) ? (
              <>
                <rect x={L} y={cy - 9} width={x(r.f.value) - L} height={18} fill={PALETTE[i % PALETTE.length]}>
                  <title>{`${r.label} : ${fmt(r.f)}`}</title>
                </rect>
                <text x={W - R + 6} y={cy + 4} class="axis">
                  {fmtShort(r.f)}
                </text>
              </>
            ) : (
              <text x={L + 6} y={cy + 4} class="axis missing">
                donnée indisponible
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
