import { Box, Flex, Typography } from '@strapi/design-system';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { UPLOT_CSS } from './uplot-css';

export interface ChartSeries {
  label: string;
  values: number[];
  color: string;
}

/**
 * One chart of the Reports tab, drawn by uPlot on a canvas. A canvas says nothing to a screen
 * reader: the chart is an image (`role="img"`) whose label sums it up in words, and the page's
 * tables hold every figure drawn. `x` are the points' labels (bucket dates or channel titles);
 * `bars` draws bars instead of lines (for channels, one bar per channel).
 */
export const ReportChart = ({
  title,
  summary,
  x,
  series,
  bars = false,
  format = (value: number) => String(value),
  testId,
}: {
  title: string;
  summary: string;
  x: string[];
  series: ChartSeries[];
  bars?: boolean;
  format?: (value: number) => string;
  testId: string;
}) => {
  const target = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = target.current;
    if (!element) return undefined;
    const width = Math.max(280, element.clientWidth);
    const label = (index: number) => x[Math.round(index)] ?? '';
    const chart = new uPlot(
      {
        width,
        height: 220,
        legend: { show: false },
        cursor: { show: true, drag: { x: false, y: false } },
        scales: { x: { time: false, range: (_, min, max) => [min - 0.5, max + 0.5] } },
        axes: [
          {
            values: (_, ticks) => ticks.map((tick) => (Number.isInteger(tick) ? label(tick) : '')),
            space: bars ? 24 : 60,
          },
          { values: (_, ticks) => ticks.map(format), size: 80 },
        ],
        series: [
          {},
          ...series.map((each) => ({
            label: each.label,
            stroke: each.color,
            fill: bars ? each.color : `${each.color}22`,
            width: 2,
            points: { show: x.length <= 31 },
            ...(bars ? { paths: uPlot.paths.bars!({ size: [0.6, 64] }) } : {}),
          })),
        ],
      },
      [x.map((_, index) => index), ...series.map((each) => each.values)],
      element
    );
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(280, element.clientWidth), height: 220 })
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [x, series, bars, format]);

  return (
    <Box>
      <style>{UPLOT_CSS}</style>
      <Flex gap={4} wrap="wrap" paddingBottom={2}>
        <Typography variant="omega" fontWeight="bold" tag="h3">
          {title}
        </Typography>
        {series.map((each) => (
          <Flex key={each.label} gap={1} aria-hidden="true">
            <Box width="1rem" height="0.5rem" style={{ background: each.color }} />
            <Typography variant="pi">{each.label}</Typography>
          </Flex>
        ))}
      </Flex>
      <div
        ref={target}
        role="img"
        aria-label={summary}
        data-testid={testId}
        style={{ width: '100%' }}
      />
    </Box>
  );
};
