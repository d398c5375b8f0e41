import { useEffect, useRef } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartDataset,
} from 'chart.js';

// Chart.js draws on a canvas and sizes it through the CSSOM (element.style), never through style
// attributes or <style> elements, so it runs under the dashboard's CSP (style-src 'self').
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface Series {
  label: string;
  values: number[];
  /** A CSS custom property of styles.css (so the colours follow the light or dark scheme). */
  colorVar: string;
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/**
 * A stacked bar chart. `label` describes it for screen readers, which also get the figures as a
 * table (visually hidden) since a canvas has no text.
 */
export function BarChart({
  id,
  label,
  labels,
  series,
  stacked = true,
}: {
  id: string;
  label: string;
  labels: string[];
  series: Series[];
  stacked?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);

  useEffect(() => {
    const draw = () => {
      if (!canvas.current) return;
      chart.current?.destroy();
      const fg = cssVar('--muted');
      const grid = cssVar('--line');
      const datasets: ChartDataset<'bar'>[] = series.map((s) => ({
        label: s.label,
        data: s.values,
        backgroundColor: cssVar(s.colorVar),
        borderWidth: 0,
      }));
      chart.current = new Chart(canvas.current, {
        type: 'bar',
        data: { labels, datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: {
            x: { stacked, ticks: { color: fg, autoSkip: true, maxRotation: 0 }, grid: { display: false } },
            y: { stacked, beginAtZero: true, ticks: { color: fg, precision: 0 }, grid: { color: grid } },
          },
          plugins: { legend: { labels: { color: fg, boxWidth: 12 } } },
        },
      });
    };
    draw();
    // Redrawn in the other palette when the system switches between light and dark.
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', draw);
    return () => {
      scheme.removeEventListener('change', draw);
      chart.current?.destroy();
      chart.current = null;
    };
  }, [labels, series, stacked]);

  return (
    <figure className="chart">
      <figcaption id={`${id}-caption`}>{label}</figcaption>
      <div className="chart-box">
        <canvas ref={canvas} id={id} role="img" aria-labelledby={`${id}-caption`} data-chart={id} />
      </div>
      <div className="visually-hidden">
        <table>
          <caption>{label}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((l, i) => (
              <tr key={l + i}>
                <th scope="row">{l}</th>
                {series.map((s) => (
                  <td key={s.label}>{s.values[i]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
