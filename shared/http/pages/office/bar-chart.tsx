/**
 * A horizontal bar chart drawn on the server as inline SVG. It is a few rectangles and labels: a
 * chart library would add far more to the API Lambda's bundle (issue 11 keeps it ≤ 500 KB) than
 * this component, and would need JavaScript in the browser or a DOM on the server. The table next
 * to every chart is the source of its numbers; the chart is a picture of it, announced as one
 * image with its title and description.
 */

export interface Bar {
  label: string;
  /** The bar's length as a share of the longest possible bar, in [0, 1]; null draws no bar. */
  share: number | null;
  /** What is written at the end of the bar (the value as the table shows it). */
  text: string;
}

const WIDTH = 360;
const LABEL = 130;
const VALUE = 56;
const ROW = 28;
const BAR = 16;
const TOP = 8;

/** Roughly how wide a label is at font size 13: 13.5 units per CJK character, 8.4 for Latin ones (generous: a sans-serif capital is wider than its average). */
function fitted(label: string, room: number): string {
  let width = 0;
  let out = '';
  for (const ch of label) {
    const w = (ch.codePointAt(0) ?? 0) < 0x2e80 ? 8.4 : 13.5;
    if (width + w > room - 10) return `${out}…`;
    width += w;
    out += ch;
  }
  return out;
}

export function BarChart(props: { id: string; title: string; description: string; bars: Bar[] }) {
  const height = TOP * 2 + props.bars.length * ROW;
  const span = WIDTH - LABEL - VALUE;
  return (
    <svg
      class="chart"
      role="img"
      viewBox={`0 0 ${WIDTH} ${height}`}
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      data-testid={props.id}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.description}</desc>
      <line x1={LABEL} y1={TOP / 2} x2={LABEL} y2={height - TOP / 2} stroke="#5b6470" stroke-width="1" />
      {props.bars.map((bar, i) => {
        const y = TOP + i * ROW;
        const length = bar.share === null ? 0 : Math.max(0, Math.min(1, bar.share)) * span;
        return (
          <g>
            <text x={LABEL - 8} y={y + ROW / 2 + 4} text-anchor="end" font-size="13" fill="#1b1f24">
              {fitted(bar.label, LABEL)}
            </text>
            {length > 0 ? (
              <rect x={LABEL} y={y + (ROW - BAR) / 2} width={length.toFixed(1)} height={BAR} fill="#2a4d8f" />
            ) : null}
            <text x={LABEL + length + 6} y={y + ROW / 2 + 4} font-size="13" fill="#1b1f24">
              {bar.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** The chart's CSS: as wide as its card up to 24rem, where its 13-unit text reads at about 14 px. */
export const CHART_STYLE =
  'svg.chart{display:block;width:100%;max-width:24rem;height:auto;margin:.5rem 0 1rem}';
