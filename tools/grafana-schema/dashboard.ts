// The shape a dashboard JSON file must have, built from Grafana's own generated types (@grafana/schema): the
// dashboard, its variables, annotations and panels, and each panel kind's options and field config. The tests write
// each grafana/dashboards/*.json as a typed constant and compile it with `tsc --strict --noEmit`: a missing required
// field, a wrong type, an unknown enum value or a misspelt key (excess property) fails the build.
import type { AnnotationQuery, Dashboard, DataQuery, FieldConfig, FieldConfigSource, Panel, RowPanel, VariableModel } from '@grafana/schema';
import type * as Stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as Table from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type * as TimeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

// JSON holds an enum's value, not the TypeScript enum: string enums become the union of their values.
type Json<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends ReadonlyArray<infer U>
      ? Array<Json<U>>
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;

// A Prometheus query as the Prometheus data source stores it (its plugin's fields; @grafana/schema has only DataQuery).
type PrometheusQuery = DataQuery & {
  expr: string;
  legendFormat?: string;
  range?: boolean;
  instant?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  interval?: string;
  editorMode?: 'code' | 'builder';
  exemplar?: boolean;
};

// The Prometheus data source reads these annotation fields beside the query (its plugin's fields).
type PrometheusAnnotation = AnnotationQuery<PrometheusQuery> & {
  titleFormat?: string;
  textFormat?: string;
  tagKeys?: string;
  useValueForTime?: boolean;
  step?: string;
};

type QueryPanel<Kind extends string, Options, Custom> = Omit<Panel, 'type' | 'targets' | 'options' | 'fieldConfig'> & {
  type: Kind;
  targets: PrometheusQuery[];
  // Grafana fills omitted options from the panel plugin's defaults, so each is optional; those given must be right.
  options: Partial<Options>;
  fieldConfig: Omit<FieldConfigSource, 'defaults'> & { defaults: Omit<FieldConfig, 'custom'> & { custom?: Partial<Custom> } };
  transformations?: Panel['transformations'];
};

type AnyPanel =
  | QueryPanel<'timeseries', TimeSeries.Options, TimeSeries.FieldConfig>
  | QueryPanel<'stat', Stat.Options, Record<string, never>>
  | QueryPanel<'table', Table.Options, Table.FieldConfig>
  | (Omit<RowPanel, 'type' | 'panels'> & { type: 'row'; panels: [] });

export type CheckedDashboard = Json<
  Omit<Dashboard, 'panels' | 'templating' | 'annotations'> & {
    // Required here though optional in Grafana's type: a provisioned dashboard needs a stable uid and a title.
    uid: string;
    title: string;
    panels: AnyPanel[];
    templating: { list: VariableModel[] };
    annotations: { list: Array<AnnotationQuery | PrometheusAnnotation> };
  }
>;
