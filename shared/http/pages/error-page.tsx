import type { ZhuqiConfig } from '../../config/config';
import type { Locale } from '../i18n';
import { Layout } from './layout';

const TITLES: Record<number, { zh: string; en: string }> = {
  400: { zh: '请求有误', en: 'Bad request' },
  401: { zh: '请先登录', en: 'Please sign in' },
  403: { zh: '无权进行此操作', en: 'Not allowed' },
  404: { zh: '页面不存在', en: 'Page not found' },
  409: { zh: '与已有记录冲突', en: 'Conflicts with what is recorded' },
  413: { zh: '提交的内容过大', en: 'Too much was sent' },
  415: { zh: '提交方式不受支持', en: 'Unsupported submission' },
  422: { zh: '填写有误', en: 'Please correct the form' },
  429: { zh: '操作过于频繁，请稍后再试', en: 'Too many requests; please try again later' },
  500: { zh: '服务器出错了', en: 'Something went wrong' },
};

/** An error answered to a browser: what went wrong, in the page's language, and a way back. */
export function ErrorPage(props: { config: ZhuqiConfig; locale: Locale; status: number; detail?: string }) {
  const title = (TITLES[props.status] ?? TITLES[400]!)[props.locale];
  return (
    <Layout locale={props.locale} title={title} office={props.config.officeName} path="/">
      <h1>{title}</h1>
      {props.detail ? <p>{props.detail}</p> : null}
      <p>
        <a href="/">{props.locale === 'zh' ? '返回首页' : 'Back to the form'}</a>
      </p>
    </Layout>
  );
}
