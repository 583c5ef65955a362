import { Box, Flex } from '@strapi/design-system';
import { Television } from '@strapi/icons';
import { useState } from 'react';

/**
 * The channel's cover, or an icon when it has none or the image cannot load (the site's
 * Content-Security-Policy must allow the Osteocom CDN in `img-src` for remote covers).
 */
export const CoverThumbnail = ({ src, alt }: { src?: string | null; alt: string }) => {
  const [failed, setFailed] = useState(false);
  if (!src || failed) {
    return (
      <Flex
        width="6.4rem"
        height="3.6rem"
        background="neutral150"
        hasRadius
        justifyContent="center"
        alignItems="center"
        aria-hidden
      >
        <Television fill="neutral500" />
      </Flex>
    );
  }
  return (
    <Box width="6.4rem" height="3.6rem" hasRadius overflow="hidden" background="neutral150">
      <img
        src={src}
        alt={alt}
        width={64}
        height={36}
        style={{ objectFit: 'cover', display: 'block' }}
        onError={() => setFailed(true)}
      />
    </Box>
  );
};
