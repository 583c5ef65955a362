import { Flex, Loader } from '@strapi/design-system';
import { useT } from '../hooks/useT';

/** A centred spinner for a tab's content (Page.Loading would nest a second <main>). */
export const LoadingBlock = () => {
  const t = useT();
  return (
    <Flex justifyContent="center" padding={8}>
      <Loader>{t('common.loading')}</Loader>
    </Flex>
  );
};
