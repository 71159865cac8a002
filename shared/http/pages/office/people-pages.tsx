import type { Label } from '../../../config/catalog';
import { chinaDateTime } from '../../../domain/china-time';
import type { ApiKeyRecord, Cadre, Unit } from '../../../store/access-repository';
import { Csrf, Flash, type Frame, WorkbenchPage } from '../workbench/frame';
import { LEVEL } from '../workbench/words';

const T = {
  zh: {
    title: '单位与人员',
    units: '承办单位',
    unitName: '名称',
    kind: '类型',
    state: '状态',
    active: '启用',
    inactive: '已停用',
    webhook: '推送地址（Webhook）',
    none: '无',
    addUnit: '新增承办单位',
    unitId: '编号',
    unitIdHint: '小写字母、数字和连字符，如 tax-bureau',
    zh: '中文名称',
    en: '英文名称',
    add: '新增',
    members: '活动办人员',
    membersIntro: '每人一把个人密钥，以姓名为标签；办理记录以姓名记载。',
    cadres: '包联干部',
    cadreName: '姓名',
    cadreMobile: '手机（选填）',
    enterprises: '包联企业',
    addCadre: '新增包联干部',
    keys: '密钥',
    keyPerson: '持有人',
    keyPrefix: '前缀',
    keyIssued: '发放时间',
    keyRevoked: '已撤销',
    revoke: '撤销',
    revokeLabel: (name: string) => `撤销 ${name} 的密钥`,
    issue: '发放密钥',
    issueFor: '持有人姓名',
    issued: (name: string) => `已为 ${name} 发放密钥。密钥只显示这一次，请当面或通过安全渠道交给本人：`,
    revoked: '密钥已撤销，持有人的登录将在下一次操作时结束。',
    rename: '修改名称',
    save: '保存',
    deactivate: '停用单位',
    activate: '重新启用',
    setWebhook: '设置推送地址',
    webhookUrl: '推送地址',
    webhookHint: '设置后生成新的签名密钥，只显示一次',
    removeWebhook: '删除推送地址',
    secret: '签名密钥（只显示这一次）：',
    saved: '已保存。',
    assign: '分包企业',
    creditCode: '统一社会信用代码',
    enterpriseName: '企业名称（选填）',
    assignSubmit: '分包给该干部',
    remove: '取消分包',
    removeLabel: (code: string) => `取消分包 ${code}`,
    noEnterprises: '尚未分包企业。',
    back: '返回单位与人员',
  },
  en: {
    title: 'Units and people',
    units: 'Units',
    unitName: 'Name',
    kind: 'Kind',
    state: 'State',
    active: 'Active',
    inactive: 'Deactivated',
    webhook: 'Webhook',
    none: 'none',
    addUnit: 'Add a unit',
    unitId: 'Id',
    unitIdHint: 'lower-case letters, digits and hyphens, e.g. tax-bureau',
    zh: 'Chinese name',
    en: 'English name',
    add: 'Add',
    members: 'Office members',
    membersIntro: 'Each person has a personal key labelled with their name; the history records the name.',
    cadres: 'Cadres',
    cadreName: 'Name',
    cadreMobile: 'Mobile (optional)',
    enterprises: 'Enterprises',
    addCadre: 'Add a cadre',
    keys: 'Keys',
    keyPerson: 'Person',
    keyPrefix: 'Prefix',
    keyIssued: 'Issued',
    keyRevoked: 'Revoked',
    revoke: 'Revoke',
    revokeLabel: (name: string) => `Revoke the key of ${name}`,
    issue: 'Issue a key',
    issueFor: 'Name of the person',
    issued: (name: string) =>
      `A key was issued to ${name}. It is shown this once: hand it over in person or by a safe channel:`,
    revoked: 'The key is revoked; its holder is signed out at their next request.',
    rename: 'Rename',
    save: 'Save',
    deactivate: 'Deactivate the unit',
    activate: 'Activate again',
    setWebhook: 'Set the webhook',
    webhookUrl: 'Webhook address',
    webhookHint: 'A new signing secret is made, shown once',
    removeWebhook: 'Remove the webhook',
    secret: 'Signing secret (shown this once):',
    saved: 'Saved.',
    assign: 'Assign an enterprise',
    creditCode: 'Unified social credit code',
    enterpriseName: 'Enterprise name (optional)',
    assignSubmit: 'Assign to this cadre',
    remove: 'Take away',
    removeLabel: (code: string) => `Take away ${code}`,
    noEnterprises: 'No enterprise assigned yet.',
    back: 'Back to units and people',
  },
} as const;

export type PeopleText = (typeof T)['zh'];

/** A key shown once, right after it was issued (or a webhook secret right after it was made). */
export interface Shown {
  key?: { name: string; key: string };
  webhookSecret?: string;
  done?: 'revoked' | 'saved';
  error?: string;
}

function ShownOnce(props: { frame: Frame; shown: Shown }) {
  const t = T[props.frame.locale];
  const { key, webhookSecret, done } = props.shown;
  return (
    <>
      <Flash done={done ? t[done] : undefined} error={props.shown.error} />
      {key ? (
        <div class="done" role="status">
          <p>{t.issued(key.name)}</p>
          <code class="secret" data-testid="issued-key">
            {key.key}
          </code>
        </div>
      ) : null}
      {webhookSecret ? (
        <div class="done" role="status">
          <p>{t.secret}</p>
          <code class="secret" data-testid="webhook-secret">
            {webhookSecret}
          </code>
        </div>
      ) : null}
    </>
  );
}

/** The keys of one owner, with a revoke button each, and the form to issue one more. */
function Keys(props: { frame: Frame; keys: ApiKeyRecord[]; base: string; id: string }) {
  const { frame } = props;
  const t = T[frame.locale];
  return (
    <section aria-labelledby={`${props.id}-keys`}>
      <h3 id={`${props.id}-keys`}>{t.keys}</h3>
      {props.keys.length === 0 ? (
        <p class="muted">{t.none}</p>
      ) : (
        <table class="list" data-testid={`${props.id}-keys`}>
          <thead>
            <tr>
              <th scope="col">{t.keyPerson}</th>
              <th scope="col">{t.keyPrefix}</th>
              <th scope="col">{t.keyIssued}</th>
              <th scope="col">{t.state}</th>
            </tr>
          </thead>
          <tbody>
            {props.keys.map((k) => (
              <tr data-key-label={k.label}>
                <td data-label={t.keyPerson}>{k.label}</td>
                <td data-label={t.keyPrefix}>
                  <code>{k.prefix}…</code>
                </td>
                <td data-label={t.keyIssued}>{chinaDateTime(k.createdAt)}</td>
                <td data-label={t.state}>
                  {k.revokedAt ? (
                    `${t.keyRevoked} ${chinaDateTime(k.revokedAt)}`
                  ) : (
                    <form method="post" action={`${props.base}/keys/${k.hash}/revoke`}>
                      <Csrf token={frame.csrf} />
                      <button type="submit" class="secondary" aria-label={t.revokeLabel(k.label)}>
                        {t.revoke}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action={`${props.base}/keys`} class="inline">
        <Csrf token={frame.csrf} />
        <div class="field">
          <label for={`${props.id}-label`}>{t.issueFor}</label>
          <input id={`${props.id}-label`} name="label" maxlength={100} required />
        </div>
        <button type="submit">{t.issue}</button>
      </form>
    </section>
  );
}

const KIND_LABEL = (kind: Unit['kind']): Label => LEVEL[kind];

/** 单位与人员: units, the office's members and the cadres, each with their keys. */
export function PeoplePage(props: {
  frame: Frame;
  units: Unit[];
  members: ApiKeyRecord[];
  cadres: Cadre[];
  shown?: Shown;
}) {
  const { frame } = props;
  const t = T[frame.locale];
  const l = frame.locale;
  return (
    <WorkbenchPage frame={frame} title={t.title} current="/office/people">
      <h1>{t.title}</h1>
      <ShownOnce frame={frame} shown={props.shown ?? {}} />
      <h2 id="units">{t.units}</h2>
      <table class="list" aria-labelledby="units">
        <thead>
          <tr>
            <th scope="col">{t.unitName}</th>
            <th scope="col">{t.kind}</th>
            <th scope="col">{t.state}</th>
            <th scope="col">{t.webhook}</th>
          </tr>
        </thead>
        <tbody>
          {props.units.map((u) => (
            <tr>
              <td data-label={t.unitName}>
                <a href={`/office/units/${u.id}`}>{u[l]}</a>
              </td>
              <td data-label={t.kind}>{KIND_LABEL(u.kind)[l]}</td>
              <td data-label={t.state}>{u.active ? t.active : t.inactive}</td>
              <td data-label={t.webhook}>{u.webhookUrl ?? t.none}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/office/units" class="card">
        <h3>{t.addUnit}</h3>
        <Csrf token={frame.csrf} />
        <div class="inline">
          <div class="field">
            <label for="u-id">{t.unitId}</label>
            <span class="hint" id="u-id-hint">
              {t.unitIdHint}
            </span>
            <input id="u-id" name="id" required maxlength={63} aria-describedby="u-id-hint" />
          </div>
          <div class="field">
            <label for="u-kind">{t.kind}</label>
            <select id="u-kind" name="kind">
              {(['department', 'task_force', 'government', 'leader'] as const).map((k) => (
                <option value={k}>{KIND_LABEL(k)[l]}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="u-zh">{t.zh}</label>
            <input id="u-zh" name="zh" required maxlength={60} />
          </div>
          <div class="field">
            <label for="u-en">{t.en}</label>
            <input id="u-en" name="en" required maxlength={120} />
          </div>
          <button type="submit">{t.add}</button>
        </div>
      </form>

      <h2>{t.members}</h2>
      <p>{t.membersIntro}</p>
      <Keys frame={frame} keys={props.members} base="/office/members" id="members" />

      <h2 id="cadres">{t.cadres}</h2>
      {props.cadres.length === 0 ? (
        <p class="muted">{t.none}</p>
      ) : (
        <table class="list" aria-labelledby="cadres">
          <thead>
            <tr>
              <th scope="col">{t.cadreName}</th>
              <th scope="col">{t.enterprises}</th>
            </tr>
          </thead>
          <tbody>
            {props.cadres.map((cadre) => (
              <tr>
                <td data-label={t.cadreName}>
                  <a href={`/office/cadres/${cadre.id}`}>{cadre.name}</a>
                </td>
                <td data-label={t.enterprises}>{cadre.enterprises.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action="/office/cadres" class="card">
        <h3>{t.addCadre}</h3>
        <Csrf token={frame.csrf} />
        <div class="inline">
          <div class="field">
            <label for="c-name">{t.cadreName}</label>
            <input id="c-name" name="name" required maxlength={40} />
          </div>
          <div class="field">
            <label for="c-mobile">{t.cadreMobile}</label>
            <input id="c-mobile" name="mobile" type="tel" inputmode="numeric" />
          </div>
          <button type="submit">{t.add}</button>
        </div>
      </form>
    </WorkbenchPage>
  );
}

/** One unit: its names, activity, webhook, and its clerks' keys. */
export function UnitPage(props: { frame: Frame; unit: Unit; keys: ApiKeyRecord[]; shown?: Shown }) {
  const { frame, unit } = props;
  const t = T[frame.locale];
  const l = frame.locale;
  const base = `/office/units/${unit.id}`;
  return (
    <WorkbenchPage frame={frame} title={unit[l]} current="/office/people">
      <p>
        <a href="/office/people">{t.back}</a>
      </p>
      <h1>{unit[l]}</h1>
      <ShownOnce frame={frame} shown={props.shown ?? {}} />
      <p>
        {KIND_LABEL(unit.kind)[l]} · {unit.active ? t.active : t.inactive} · <code>{unit.id}</code>
      </p>
      <div class="cols">
        <div>
          <Keys frame={frame} keys={props.keys} base={base} id="unit" />
        </div>
        <div>
          <form method="post" action={base} class="card">
            <h3>{t.rename}</h3>
            <Csrf token={frame.csrf} />
            <div class="field">
              <label for="n-zh">{t.zh}</label>
              <input id="n-zh" name="zh" value={unit.zh} required maxlength={60} />
            </div>
            <div class="field">
              <label for="n-en">{t.en}</label>
              <input id="n-en" name="en" value={unit.en} required maxlength={120} />
            </div>
            <button type="submit">{t.save}</button>
          </form>
          <form method="post" action={base} class="card">
            <h3>{t.webhook}</h3>
            <Csrf token={frame.csrf} />
            <p>{unit.webhookUrl ?? t.none}</p>
            <div class="field">
              <label for="w-url">{t.webhookUrl}</label>
              <span class="hint" id="w-url-hint">
                {t.webhookHint}
              </span>
              <input id="w-url" name="webhookUrl" type="url" aria-describedby="w-url-hint" required />
            </div>
            <button type="submit">{t.setWebhook}</button>
          </form>
          {unit.webhookUrl ? (
            <form method="post" action={base} class="card">
              <Csrf token={frame.csrf} />
              <input type="hidden" name="webhookUrl" value="none" />
              <button type="submit" class="secondary">
                {t.removeWebhook}
              </button>
            </form>
          ) : null}
          <form method="post" action={base} class="card">
            <Csrf token={frame.csrf} />
            <input type="hidden" name="active" value={unit.active ? 'false' : 'true'} />
            <button type="submit" class="secondary">
              {unit.active ? t.deactivate : t.activate}
            </button>
          </form>
        </div>
      </div>
    </WorkbenchPage>
  );
}

/** One cadre: the enterprises assigned to them (分包) and their keys. */
export function CadrePage(props: { frame: Frame; cadre: Cadre; keys: ApiKeyRecord[]; shown?: Shown }) {
  const { frame, cadre } = props;
  const t = T[frame.locale];
  const base = `/office/cadres/${cadre.id}`;
  return (
    <WorkbenchPage frame={frame} title={cadre.name} current="/office/people">
      <p>
        <a href="/office/people">{t.back}</a>
      </p>
      <h1>
        {t.cadres} · {cadre.name}
      </h1>
      <ShownOnce frame={frame} shown={props.shown ?? {}} />
      {cadre.mobile ? <p>{cadre.mobile}</p> : null}
      <div class="cols">
        <section aria-labelledby="enterprises">
          <h2 id="enterprises">{t.enterprises}</h2>
          {cadre.enterprises.length === 0 ? (
            <p class="muted">{t.noEnterprises}</p>
          ) : (
            <table class="list" data-testid="cadre-enterprises">
              <thead>
                <tr>
                  <th scope="col">{t.creditCode}</th>
                  <th scope="col">{t.enterpriseName}</th>
                  <th scope="col">{t.remove}</th>
                </tr>
              </thead>
              <tbody>
                {cadre.enterprises.map((e) => (
                  <tr>
                    <td data-label={t.creditCode}>
                      <code>{e.creditCode}</code>
                    </td>
                    <td data-label={t.enterpriseName}>{e.name ?? ''}</td>
                    <td data-label={t.remove}>
                      <form method="post" action={`${base}/enterprises/remove`}>
                        <Csrf token={frame.csrf} />
                        <input type="hidden" name="creditCode" value={e.creditCode} />
                        <button type="submit" class="secondary" aria-label={t.removeLabel(e.creditCode)}>
                          {t.remove}
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <form method="post" action={`${base}/enterprises`} class="card">
            <h3>{t.assign}</h3>
            <Csrf token={frame.csrf} />
            <div class="field">
              <label for="e-code">{t.creditCode}</label>
              <input id="e-code" name="creditCode" required maxlength={18} autocapitalize="characters" />
            </div>
            <div class="field">
              <label for="e-name">{t.enterpriseName}</label>
              <input id="e-name" name="name" maxlength={100} />
            </div>
            <button type="submit">{t.assignSubmit}</button>
          </form>
        </section>
        <div>
          <Keys frame={frame} keys={props.keys} base={base} id="cadre" />
        </div>
      </div>
    </WorkbenchPage>
  );
}
