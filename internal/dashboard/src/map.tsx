// Map of the PACA zones d'emploi drawn as SVG paths from INSEE geometry
// (d3-geo, no tiles: nothing is fetched from a third party).
import { geoConicConformal, geoPath } from 'd3-geo';
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import geoUrl from './ze2020_paca.geojson';

export interface ZoneFeature {
  type: 'Feature';
  properties: { ze2020: string; libze2020: string };
  geometry: unknown;
}

let cache: Promise<ZoneFeature[]> | null = null;

/** loadGeometry fetches the zones once per page (served by our own handler). */
export function loadGeometry(): Promise<ZoneFeature[]> {
  if (!cache) {
    cache = fetch(geoUrl)
      .then((r) => {
        if (!r.ok) throw new Error(`géométrie des zones: ${r.status}`);
        return r.json();
      })
      .then((fc) => (fc.features as ZoneFeature[]).map(rewind));
    cache.catch(() => (cache = null));
  }
  return cache;
}

type Ring = [number, number][];

// area2 is twice the signed planar area of a ring (positive when counter-clockwise).
function area2(r: Ring): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return a;
}

/**
 * rewind turns RFC 7946 rings (exterior counter-clockwise) into the
 * orientation d3-geo expects on the sphere (exterior clockwise, holes
 * counter-clockwise); without it each zone would be drawn as the whole
 * globe minus the zone.
 */
export function rewind(f: ZoneFeature): ZoneFeature {
  const fix = (poly: Ring[]) => poly.map((r, i) => ((i === 0) === area2(r) > 0 ? [...r].reverse() : r));
  const g = f.geometry as { type: string; coordinates: any };
  if (g.type === 'Polygon') return { ...f, geometry: { ...g, coordinates: fix(g.coordinates) } };
  if (g.type === 'MultiPolygon') return { ...f, geometry: { ...g, coordinates: g.coordinates.map(fix) } };
  return f;
}

export function useGeometry(): ZoneFeature[] | null {
  const [g, setG] = useState<ZoneFeature[] | null>(null);
  useEffect(() => {
    loadGeometry().then(setG, () => setG([]));
  }, []);
  return g;
}

const W = 640;
const H = 460;

/** ramp interpolates the sequential palette (light blue → bleu France). */
export function ramp(t: number): string {
  const a = [0xe3, 0xe8, 0xfb];
  const b = [0x00, 0x00, 0x91];
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * Math.max(0, Math.min(1, t))));
  return `rgb(${c.join(',')})`;
}

export interface MapProps {
  features: ZoneFeature[];
  title: string;
  /** zone code → fill colour; absent → not in the project */
  fill?: (code: string) => string | null;
  candidates: string[];
  current?: string;
  /** picking mode: zones are checkboxes */
  onToggle?: (code: string) => void;
  /** text of the tooltip for one zone (hover and focus) */
  tip?: (code: string, label: string) => ComponentChildren;
  legend?: ComponentChildren;
}

export function ZoneMap(props: MapProps) {
  const { features } = props;
  const [active, setActive] = useState<string | null>(null);
  const geo = useMemo(() => {
    const fc = { type: 'FeatureCollection', features } as any;
    const proj = geoConicConformal().parallels([44, 49]).rotate([-3, 0]).fitExtent(
      [
        [8, 8],
        [W - 8, H - 8],
      ],
      fc,
    );
    const path = geoPath(proj);
    return features.map((f) => ({
      code: f.properties.ze2020,
      label: f.properties.libze2020,
      d: path(f as any) || '',
      c: path.centroid(f as any),
    }));
  }, [features]);
  const picking = !!props.onToggle;
  const act = geo.find((g) => g.code === active);
  const ordered = [...geo].sort((a, b) => rank(a.code) - rank(b.code));
  function rank(code: string) {
    // draw emphasised outlines last so they are not hidden by neighbours
    if (code === props.current) return 2;
    if (props.candidates.includes(code)) return 1;
    return 0;
  }
  return (
    <figure class="map">
      <figcaption class="map-title">{props.title}</figcaption>
      <div class="map-wrap">
        <svg viewBox={`0 0 ${W} ${H}`} role={picking ? 'group' : 'img'} aria-label={props.title}>
          <defs>
            <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill="#f6f6f6" />
              <line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="2" />
            </pattern>
          </defs>
          {ordered.map((g) => {
            const isCand = props.candidates.includes(g.code);
            const isCur = g.code === props.current;
            const fill = props.fill ? props.fill(g.code) : isCand ? '#6a6af4' : null;
            const cls = ['zone', isCand ? 'cand' : '', isCur ? 'cur' : '', active === g.code ? 'active' : ''].join(' ');
            const name = `${g.label} (${g.code})${isCur ? ', zone actuelle' : ''}${isCand ? ', zone candidate' : ''}`;
            return (
              <path
                key={g.code}
                d={g.d}
                class={cls}
                data-zone={g.code}
                fill={fill || '#e3e6ee'}
                tabIndex={0}
                role={picking ? 'checkbox' : 'img'}
                aria-checked={picking ? isCand : undefined}
                aria-label={name}
                aria-describedby={active === g.code ? 'map-tip' : undefined}
                onMouseEnter={() => setActive(g.code)}
                onMouseLeave={() => setActive(null)}
                onFocus={() => setActive(g.code)}
                onBlur={() => setActive(null)}
                onClick={() => props.onToggle?.(g.code)}
                onKeyDown={(e) => {
                  if (picking && (e.key === ' ' || e.key === 'Enter')) {
                    e.preventDefault();
                    props.onToggle!(g.code);
                  }
                }}
              >
                <title>{name}</title>
              </path>
            );
          })}
          {geo
            .filter((g) => props.candidates.includes(g.code) || g.code === props.current)
            .map((g) => (
              <text x={g.c[0]} y={g.c[1]} class="zone-label" aria-hidden="true">
                {g.label}
              </text>
            ))}
        </svg>
        {act && props.tip ? (
          <div
            class="map-tip"
            id="map-tip"
            role="tooltip"
            style={{ left: `${(act.c[0] / W) * 100}%`, top: `${(act.c[1] / H) * 100}%` }}
          >
            {props.tip(act.code, act.label)}
          </div>
        ) : null}
      </div>
      <div class="map-legend">
        <span class="lg-item">
          <span class="lg-sw lg-cur" /> zone actuelle
        </span>
        <span class="lg-item">
          <span class="lg-sw lg-cand" /> zone candidate
        </span>
        {props.legend}
      </div>
    </figure>
  );
}
