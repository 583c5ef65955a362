import { Badge, Flex, IconButton, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { Eye } from '@strapi/icons';
import { useMoney } from '../hooks/useMoney';
import { useT } from '../hooks/useT';
import type { Channel } from '../types';
import { CoverThumbnail } from './CoverThumbnail';
import { TableHeader } from './TableHeader';

/** The mirrored catalog: cover, title, price (in the site's currency), number of videos, status. */
export const ChannelsTable = ({
  channels,
  currency,
  onShowVideos,
}: {
  channels: Channel[];
  /** The site's currency (`useCurrency`). */
  currency: string | undefined;
  onShowVideos: (channel: Channel) => void;
}) => {
  const t = useT();
  const money = useMoney(currency);
  return (
    <Table colCount={6} rowCount={channels.length + 1}>
      <TableHeader
        columns={[
          { hidden: t('catalog.cover') },
          t('catalog.title'),
          t('catalog.price'),
          t('catalog.videoCount'),
          t('catalog.status'),
          { hidden: t('common.actions') },
        ]}
      />
      <Tbody>
        {channels.map((channel) => (
          <Tr key={channel.idChannel} data-testid="channel-row">
            <Td>
              <CoverThumbnail src={channel.cover} alt={channel.title} />
            </Td>
            <Td>
              <Flex direction="column" alignItems="flex-start">
                <Typography textColor="neutral800" fontWeight="semiBold">
                  {channel.title}
                </Typography>
                <Typography variant="pi" textColor="neutral600">
                  {channel.idChannel}
                </Typography>
              </Flex>
            </Td>
            <Td>
              <Typography>{money(channel.price)}</Typography>
            </Td>
            <Td>
              <Typography>{channel.videoCount}</Typography>
            </Td>
            <Td>
              <Badge variant={channel.status === 'available' ? 'success' : 'neutral'}>
                {t(`channelStatus.${channel.status}`)}
              </Badge>
            </Td>
            <Td>
              <IconButton
                label={t('catalog.showVideos', { title: channel.title })}
                variant="ghost"
                onClick={() => onShowVideos(channel)}
              >
                <Eye />
              </IconButton>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
