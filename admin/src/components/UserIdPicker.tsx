import { Box, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import { useEffect, useState } from 'react';
import { useDebouncedValue } from '../hooks/useDebouncedValue';
import { useT } from '../hooks/useT';
import type { SiteUser } from '../types';

export interface UserIdPickerProps {
  value: string;
  onChange: (userId: string) => void;
  /** A site user was picked: its documentId becomes the userId. */
  onPick: (user: SiteUser) => void;
  /** Finds site users by text; without it the field is free text only. */
  search?: (q: string) => Promise<SiteUser[]>;
  error?: string;
  disabled?: boolean;
}

/** The customer's userId: free text, with matching site users offered as one types. */
export const UserIdPicker = ({
  value,
  onChange,
  onPick,
  search,
  error,
  disabled,
}: UserIdPickerProps) => {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [users, setUsers] = useState<SiteUser[]>([]);
  const q = useDebouncedValue(value, 250);

  useEffect(() => {
    if (!search || !open || !q.trim()) {
      setUsers([]);
      return undefined;
    }
    let current = true;
    search(q).then(
      (found) => current && setUsers(found),
      () => current && setUsers([])
    );
    return () => {
      current = false;
    };
  }, [q, open, search]);

  return (
    <Field.Root name="userId" error={error} hint={t('authorize.userId.hint')} required>
      <Field.Label>{t('authorize.userId')}</Field.Label>
      <TextInput
        value={value}
        disabled={disabled}
        autoComplete="off"
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
          onChange(event.target.value);
          setOpen(true);
        }}
      />
      {open && users.length > 0 ? (
        <Box
          tag="ul"
          aria-label={t('authorize.userId.suggestions')}
          background="neutral0"
          hasRadius
          borderColor="neutral200"
          shadow="filterShadow"
          marginTop={1}
          padding={1}
        >
          {users.map((user) => (
            <li key={user.documentId}>
              <Box
                tag="button"
                type="button"
                width="100%"
                padding={2}
                hasRadius
                background="neutral0"
                textAlign="left"
                cursor="pointer"
                onClick={() => {
                  onPick(user);
                  setOpen(false);
                }}
              >
                <Flex direction="column" alignItems="flex-start">
                  <Typography textColor="neutral800" fontWeight="semiBold">
                    {user.username ?? user.email ?? user.documentId}
                  </Typography>
                  <Typography variant="pi" textColor="neutral600">
                    {[user.email, user.documentId].filter(Boolean).join(' · ')}
                  </Typography>
                </Flex>
              </Box>
            </li>
          ))}
        </Box>
      ) : null}
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};
