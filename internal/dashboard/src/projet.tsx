// Screen "Projet": target métiers, candidate zones, current situation and
// the optional personal profile (kept in this browser only).
import { useEffect, useState } from 'preact/hooks';
import { getMetier, suggestSkills, type Fiche, type SkillRef } from './api';
import { proposals, type Proposal } from './next';
import { useGeometry, ZoneMap } from './map';
import { emptyProfile, hasProfile, MAX_METIERS, MAX_ZONES, useStore } from './state';
import { MetierCombobox, Stars } from './widgets';

export function ProjetScreen() {
  const s = useStore();
  const p = s.project;
  const prof = s.profile;
  const geo = useGeometry();
  const zoneName = (c: string) => s.zonesIndex.get(c) || c;
  const zones = [...s.zonesIndex.entries()].sort((a, b) => a[1].localeCompare(b[1], 'fr'));
  const [msg, setMsg] = useState('');

  function toggleZone(code: string) {
    const has = p.zones.includes(code);
    if (!has && p.zones.length >= MAX_ZONES) {
      setMsg(`Au plus ${MAX_ZONES} zones candidates : retirez-en une d'abord.`);
      return;
    }
    setMsg(has ? `${zoneName(code)} retirée des zones candidates` : `${zoneName(code)} ajoutée aux zones candidates`);
    s.setProject({ ...p, zones: has ? p.zones.filter((z) => z !== code) : [...p.zones, code] });
  }

  const ready = p.metiers.length > 0 && p.zones.length > 0;

  return (
    <div class="screen projet">
      <h1>Votre projet de mobilité</h1>
      <p class="lead">
        Choisissez jusqu'à quatre métiers cibles et quatre zones d'emploi de la région Sud. Le profil est facultatif : il
        affine le diagnostic et reste dans ce navigateur.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) location.hash = '#/diagnostic';
        }}
      >
        <section class="card" aria-labelledby="h-metiers">
          <h2 id="h-metiers">Métiers cibles</h2>
          <MetierCombobox
            id="metier-search"
            label={`Ajouter un métier (${p.metiers.length}/${MAX_METIERS})`}
            hint="Tapez au moins deux lettres d'un métier ou d'une appellation, puis choisissez avec les flèches et Entrée."
            disabled={p.metiers.length >= MAX_METIERS}
            onPick={(m) => {
              if (p.metiers.some((x) => x.code === m.code) || p.metiers.length >= MAX_METIERS) return;
              s.setProject({ ...p, metiers: [...p.metiers, { code: m.code, label: m.label }] });
            }}
          />
          <ul class="chips" aria-label="Métiers cibles choisis" data-testid="chosen-metiers">
            {p.metiers.map((m) => (
              <li class="chip" data-code={m.code}>
                <span class="code">{m.code}</span> {m.label}
                <button
                  type="button"
                  class="chip-x"
                  aria-label={`Retirer ${m.label}`}
                  onClick={() => s.setProject({ ...p, metiers: p.metiers.filter((x) => x.code !== m.code) })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </section>

        <section class="card" aria-labelledby="h-zones">
          <h2 id="h-zones">
            Zones d'emploi candidates ({p.zones.length}/{MAX_ZONES})
          </h2>
          <div class="two">
            <div>
              {geo && geo.length ? (
                <ZoneMap
                  features={geo}
                  title="Cliquez ou appuyez sur Espace pour choisir une zone"
                  candidates={p.zones}
                  current={p.current.zone}
                  onToggle={toggleZone}
                  tip={(code, label) => (
                    <>
                      <strong>{label}</strong> ({code})
                    </>
                  )}
                />
              ) : (
                <p class="muted">Carte en cours de chargement…</p>
              )}
            </div>
            <fieldset class="zone-list">
              <legend>Ou dans la liste</legend>
              <div class="zone-grid">
                {zones.map(([code, label]) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      name="zone"
                      value={code}
                      checked={p.zones.includes(code)}
                      disabled={!p.zones.includes(code) && p.zones.length >= MAX_ZONES}
                      onChange={() => toggleZone(code)}
                    />
                    {label}
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
          <p role="status" aria-live="polite" class="status">
            {msg}
          </p>
        </section>

        <section class="card" aria-labelledby="h-current">
          <h2 id="h-current">Situation actuelle</h2>
          <div class="two">
            <div>
              {p.current.metier ? (
                <p class="current-metier">
                  <span class="label-like">Métier actuel</span>
                  <span class="chip">
                    <span class="code">{p.current.metier.code}</span> {p.current.metier.label}
                    <button
                      type="button"
                      class="chip-x"
                      aria-label="Retirer le métier actuel"
                      onClick={() => s.setProject({ ...p, current: { ...p.current, metier: undefined } })}
                    >
                      ×
                    </button>
                  </span>
                </p>
              ) : (
                <MetierCombobox
                  id="current-metier"
                  label="Métier actuel"
                  onPick={(m) => s.setProject({ ...p, current: { ...p.current, metier: { code: m.code, label: m.label } } })}
                />
              )}
            </div>
            <div>
              <label for="current-zone">Zone d'emploi actuelle</label>
              <select
                id="current-zone"
                value={p.current.zone || ''}
                onChange={(e) => {
                  const v = (e.target as HTMLSelectElement).value;
                  s.setProject({ ...p, current: { ...p.current, zone: v || undefined } });
                }}
              >
                <option value="">— non renseignée —</option>
                {zones.map(([code, label]) => (
                  <option value={code}>{label}</option>
                ))}
              </select>
            </div>
          </div>
        </section>

        <ProfileCard />

        <div class="actions">
          <button type="submit" class="btn primary" disabled={!ready} data-testid="run-diagnostic">
            Voir le diagnostic
          </button>
          {!ready ? <span class="hint">Choisissez au moins un métier et une zone.</span> : null}
          {hasProfile(prof) ? (
            <button type="button" class="btn" onClick={() => s.setProfile(emptyProfile())}>
              Effacer mon profil
            </button>
          ) : null}
        </div>
      </form>
    </div>
  );
}

function ProfileCard() {
  const s = useStore();
  const prof = s.profile;
  const [cv, setCv] = useState('');
  // Proposals from a CV live in this component only (with the quoted span of
  // the CV that triggered each): never in sessionStorage, gone on reload.
  const [sugg, setSugg] = useState<Proposal[]>([]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [free, setFree] = useState('');

  function addSkill(sk: { code?: string; label: string }, level = 3) {
    const key = (x: { code?: string; label: string }) => x.code || x.label.toLowerCase();
    if (prof.skills.some((x) => key(x) === key(sk))) return;
    s.setProfile({ ...prof, skills: [...prof.skills, { code: sk.code, label: sk.label, level }] });
  }
  function setIncome(k: 'current' | 'wishedMin' | 'wishedMax', v: string) {
    const n = v.trim() === '' ? undefined : Number(v.replace(/\s/g, '').replace(',', '.'));
    s.setProfile({ ...prof, income: { ...prof.income, [k]: n !== undefined && Number.isFinite(n) ? n : undefined } });
  }

  return (
    <section class="card profile" aria-labelledby="h-profile">
      <h2 id="h-profile">Profil (facultatif)</h2>
      <p class="hint privacy">
        Ces informations restent dans ce navigateur (stockage de session, effacé à la fermeture de l'onglet). Elles ne
        figurent jamais dans un lien partagé ; elles ne sont envoyées qu'avec la demande de diagnostic.
      </p>

      <h3>Compétences</h3>
      <FicheSkills
        has={(sk) => prof.skills.some((x) => (x.code && x.code === sk.code) || x.label === sk.label)}
        add={(sk) => addSkill(sk, 3)}
        remove={(sk) => s.setProfile({ ...prof, skills: prof.skills.filter((x) => !((x.code && x.code === sk.code) || x.label === sk.label)) })}
      />
      <div class="two">
        <div>
          <label for="cv-text">Coller le texte d'un CV pour proposer des compétences</label>
          <textarea id="cv-text" rows={5} value={cv} onInput={(e) => setCv((e.target as HTMLTextAreaElement).value)} />
          <p class="hint">Le texte n'est pas conservé : il sert seulement à proposer des compétences.</p>
          <button
            type="button"
            class="btn"
            disabled={busy || cv.trim().length < 20}
            onClick={async () => {
              setBusy(true);
              setNote('');
              try {
                const r = await suggestSkills(cv);
                const ps = proposals(r.items);
                setSugg(ps);
                setPicked(new Set());
                setNote(ps.length ? `${ps.length} ${ps.length > 1 ? 'compétences proposées' : 'compétence proposée'} : cochez celles que vous avez.` : 'Aucune compétence reconnue dans ce texte.');
                setCv('');
              } catch (e: any) {
                setNote(`Proposition impossible : ${e.message}`);
              } finally {
                setBusy(false);
              }
            }}
          >
            Proposer des compétences
          </button>
          <p role="status" aria-live="polite" class="status">
            {note}
          </p>
          {sugg.length ? (
            <fieldset class="proposals" data-testid="proposals">
              <legend>Compétences proposées à partir du CV</legend>
              <ul aria-label="Compétences proposées">
                {sugg.map((p, i) => {
                  const sk = p.skill;
                  const added = prof.skills.some((x) => (x.code && x.code === sk.code) || x.label === sk.label);
                  const spanId = `prop-span-${i}`;
                  return (
                    <li>
                      <label class="check">
                        <input
                          type="checkbox"
                          checked={added || picked.has(sk.code)}
                          disabled={added}
                          aria-describedby={p.span ? spanId : undefined}
                          onChange={(e) => {
                            const next = new Set(picked);
                            if ((e.target as HTMLInputElement).checked) next.add(sk.code);
                            else next.delete(sk.code);
                            setPicked(next);
                          }}
                        />
                        {sk.label}
                        {added ? <span class="muted small"> (déjà dans le profil)</span> : null}
                      </label>
                      {p.span ? (
                        <span class="span" id={spanId}>
                          trouvé dans le CV : « {p.span} »
                        </span>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
              <button
                type="button"
                class="btn small"
                disabled={picked.size === 0}
                onClick={() => {
                  const add = sugg.filter((p) => picked.has(p.skill.code)).map((p) => p.skill);
                  const have = (x: { code?: string; label: string }) => prof.skills.some((y) => (y.code && y.code === x.code) || y.label === x.label);
                  const fresh = add.filter((x) => !have(x)).map((x) => ({ code: x.code, label: x.label, level: x.level || 3 }));
                  if (fresh.length) s.setProfile({ ...prof, skills: [...prof.skills, ...fresh] });
                  setPicked(new Set());
                  setNote(`${fresh.length} ${fresh.length > 1 ? 'compétences ajoutées' : 'compétence ajoutée'} au profil.`);
                }}
              >
                Ajouter les compétences cochées{picked.size ? ` (${picked.size})` : ''}
              </button>
            </fieldset>
          ) : null}
          <div class="inline">
            <label for="free-skill">Ajouter une compétence</label>
            <input id="free-skill" type="text" value={free} onInput={(e) => setFree((e.target as HTMLInputElement).value)} />
            <button
              type="button"
              class="btn"
              disabled={!free.trim()}
              onClick={() => {
                addSkill({ label: free.trim() });
                setFree('');
              }}
            >
              Ajouter
            </button>
          </div>
        </div>
        <div>
          {prof.skills.length ? (
            <table class="skills-table">
              <caption>Mes compétences ({prof.skills.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Compétence</th>
                  <th scope="col">Niveau (1 à 5)</th>
                  <th scope="col">
                    <span class="sr-only">Retirer</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {prof.skills.map((sk, i) => (
                  <tr>
                    <th scope="row">{sk.label}</th>
                    <td>
                      <Stars
                        name={`lvl-${i}`}
                        label={sk.label}
                        value={sk.level}
                        onChange={(v) => s.setProfile({ ...prof, skills: prof.skills.map((x, j) => (j === i ? { ...x, level: v } : x)) })}
                      />
                    </td>
                    <td>
                      <button
                        type="button"
                        class="chip-x"
                        aria-label={`Retirer ${sk.label}`}
                        onClick={() => s.setProfile({ ...prof, skills: prof.skills.filter((_, j) => j !== i) })}
                      >
                        ×
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">Aucune compétence renseignée.</p>
          )}
        </div>
      </div>

      <h3>Revenu (brut mensuel, en euros)</h3>
      <div class="three">
        {(
          [
            ['current', 'Revenu actuel'],
            ['wishedMin', 'Fourchette souhaitée : minimum'],
            ['wishedMax', 'Fourchette souhaitée : maximum'],
          ] as const
        ).map(([k, l]) => (
          <div>
            <label for={`inc-${k}`}>{l}</label>
            <input
              id={`inc-${k}`}
              type="number"
              inputMode="numeric"
              min={0}
              step={50}
              value={prof.income[k] ?? ''}
              onChange={(e) => setIncome(k, (e.target as HTMLInputElement).value)}
            />
          </div>
        ))}
      </div>

      <h3>Conjoint</h3>
      {prof.spouseMetier ? (
        <p>
          <span class="chip">
            <span class="code">{prof.spouseMetier.code}</span> {prof.spouseMetier.label}
            <button type="button" class="chip-x" aria-label="Retirer le métier du conjoint" onClick={() => s.setProfile({ ...prof, spouseMetier: undefined })}>
              ×
            </button>
          </span>
        </p>
      ) : (
        <MetierCombobox id="spouse-metier" label="Métier du conjoint" onPick={(m) => s.setProfile({ ...prof, spouseMetier: { code: m.code, label: m.label } })} />
      )}
    </section>
  );
}

const ficheCache = new Map<string, Promise<Fiche>>();

/** FicheSkills lists the skills of each target métier's fiche as checkboxes ("je maîtrise"). */
function FicheSkills(props: { has: (s: SkillRef) => boolean; add: (s: SkillRef) => void; remove: (s: SkillRef) => void }) {
  const s = useStore();
  const [fiches, setFiches] = useState<Fiche[]>([]);
  const codes = s.project.metiers.map((m) => m.code).join(',');
  useEffect(() => {
    let live = true;
    Promise.all(
      s.project.metiers.map((m) => {
        if (!ficheCache.has(m.code)) {
          const p = getMetier(m.code);
          ficheCache.set(m.code, p);
          p.catch(() => ficheCache.delete(m.code));
        }
        return ficheCache.get(m.code)!.catch(() => null);
      }),
    ).then((fs) => live && setFiches(fs.filter(Boolean) as Fiche[]));
    return () => {
      live = false;
    };
  }, [codes]);
  if (!fiches.length) return null;
  const groups: [keyof NonNullable<Fiche['skills']>, string][] = [
    ['savoirFaire', 'Savoir-faire'],
    ['savoirs', 'Savoirs'],
    ['savoirEtre', 'Savoir-être'],
  ];
  return (
    <div class="fiche-skills">
      {fiches.map((f) => (
        <details>
          <summary>
            Compétences du métier {f.label} ({f.code}) : cochez celles que vous maîtrisez
          </summary>
          <div class="cols">
            {groups.map(([k, title]) =>
              f.skills?.[k]?.length ? (
                <fieldset class="col">
                  <legend>{title}</legend>
                  {f.skills[k]!.map((sk) => (
                    <label class="check">
                      <input type="checkbox" checked={props.has(sk)} onChange={(e) => ((e.target as HTMLInputElement).checked ? props.add(sk) : props.remove(sk))} />
                      {sk.label}
                    </label>
                  ))}
                </fieldset>
              ) : null,
            )}
          </div>
        </details>
      ))}
    </div>
  );
}
