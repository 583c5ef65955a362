import { DesignSystemProvider } from '@strapi/design-system';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { IntlProvider } from 'react-intl';
import en from '../../../admin/src/translations/en.json';

/** The plugin's English messages under their real ids (`osteocom.<key>`), as the admin registers them. */
export const messages = Object.fromEntries(
  Object.entries(en).map(([key, value]) => [`osteocom.${key}`, value])
);

/**
 * Renders with what the Strapi admin provides around a plugin: the Design System theme and
 * react-intl, in the admin's language `locale` (the English messages: numbers, dates and prices follow the locale).
 */
export const renderWithProviders = (
  ui: ReactElement,
  { locale = 'en' }: { locale?: string } = {}
): RenderResult =>
  render(
    <IntlProvider locale={locale} messages={messages} defaultLocale="en">
      <DesignSystemProvider locale={locale}>{ui}</DesignSystemProvider>
    </IntlProvider>
  );
