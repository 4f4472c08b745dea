// The Calls screen's filter form and its translation into list_calls arguments.
import type { CallFilter, Sentiment } from './api';

export interface FilterValues {
  search: string;
  contactEmail: string;
  sentiment: '' | Sentiment;
  since: string;
  until: string;
}

export const NO_FILTERS: FilterValues = { search: '', contactEmail: '', sentiment: '', since: '', until: '' };

export const PAGE_SIZE = 200;

export function hasFilters(values: FilterValues): boolean {
  return (Object.keys(NO_FILTERS) as (keyof FilterValues)[]).some((key) => values[key].trim() !== '');
}

/** Dates compare as strings because both are YYYY-MM-DD. */
export function dateRangeInvalid(values: FilterValues): boolean {
  return values.since !== '' && values.until !== '' && values.since > values.until;
}

/** Only set fields are sent, so the shell never sees empty-string filters. */
export function toCallFilter(values: FilterValues, offset: number, limit = PAGE_SIZE): CallFilter {
  const filter: CallFilter = { limit, offset };
  const search = values.search.trim();
  if (search) filter.search = search;
  if (values.contactEmail) filter.contactEmail = values.contactEmail;
  if (values.sentiment) filter.sentiment = values.sentiment;
  if (values.since) filter.since = values.since;
  if (values.until) filter.until = values.until;
  return filter;
}
