import { Page } from '@strapi/strapi/admin';
import { Navigate, Route, Routes } from 'react-router-dom';
import { PluginLayout } from '../components/PluginLayout';
import { PERMISSIONS } from '../permissions';
import { ActivityPage } from './ActivityPage';
import { CatalogPage } from './CatalogPage';
import { CustomerPage } from './CustomerPage';
import { CustomersPage } from './CustomersPage';
import { ImportPage } from './ImportPage';
import { OverviewPage } from './OverviewPage';
import { ReportsPage } from './ReportsPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <Routes>
      <Route element={<PluginLayout />}>
        <Route index element={<Navigate to="overview" replace />} />
        <Route path="overview" element={<OverviewPage />} />
        <Route path="catalog" element={<CatalogPage />} />
        <Route path="customers" element={<CustomersPage />} />
        <Route path="customers/:userId" element={<CustomerPage />} />
        <Route path="activity" element={<ActivityPage />} />
        <Route path="import" element={<ImportPage />} />
        <Route path="reports" element={<ReportsPage />} />
      </Route>
      <Route path="*" element={<Page.Error />} />
    </Routes>
  </Page.Protect>
);

export default App;
