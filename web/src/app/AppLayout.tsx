import {
  AppShell,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconChevronDown, IconLogout, IconUserCircle } from "@tabler/icons-react";
import { useEffect, useRef, type ComponentType } from "react";
import { Link, Outlet, useLocation, useNavigate } from "react-router";

import { useSession } from "../features/auth/session";
import { NotificationBell } from "../features/notifications/NotificationBell";
import { Logo } from "./Logo";

export interface NavItem {
  to: string;
  label: string;
  icon: ComponentType<{ size?: number; "aria-hidden"?: boolean }>;
  end?: boolean;
}

interface AppLayoutProps {
  nav: NavItem[];
  home: string;
  notificationsPath: string;
  profilePath: string;
}

/** The signed-in frame of every area: header with bell and account menu, navigation, main. */
export function AppLayout({ nav, home, notificationsPath, profilePath }: AppLayoutProps) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { state, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // after an in-app navigation, move focus to the new page (screen readers announce it)
  useEffect(() => {
    close();
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname, close]);

  const user = state.status === "signed-in" ? state.user : null;
  const isActive = (item: NavItem) =>
    item.end
      ? location.pathname === item.to
      : location.pathname === item.to || location.pathname.startsWith(`${item.to}/`);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 250, breakpoint: "md", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="skip-link">
        Skip to main content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="md"
              size="sm"
              aria-label={opened ? "Close navigation" : "Open navigation"}
            />
            <Link to={home} className="brand-link" aria-label="Healix home">
              <Logo />
            </Link>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <NotificationBell to={notificationsPath} />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton className="account-button">
                  <Group gap={6} wrap="nowrap">
                    <IconUserCircle aria-hidden />
                    <Text size="sm" visibleFrom="sm">
                      {user ? `${user.first_name} ${user.last_name}` : ""}
                    </Text>
                    <VisuallyHidden>Account menu</VisuallyHidden>
                    <IconChevronDown size={14} aria-hidden />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item
                  leftSection={<IconUserCircle size={16} aria-hidden />}
                  onClick={() => void navigate(profilePath)}
                >
                  Profile and settings
                </Menu.Item>
                <Menu.Item
                  leftSection={<IconLogout size={16} aria-hidden />}
                  onClick={() => {
                    void signOut().then(() => navigate("/sign-in", { replace: true }));
                  }}
                >
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation" component="nav">
        <AppShell.Section grow component={ScrollArea}>
          {nav.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={<item.icon size={18} aria-hidden />}
              active={isActive(item)}
              aria-current={isActive(item) ? "page" : undefined}
            />
          ))}
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" ref={main} tabIndex={-1} className="app-main">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
