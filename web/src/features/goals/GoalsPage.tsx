import { Button, Group, Menu, Modal, NumberInput, SegmentedControl, Stack, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDots, IconPlus } from "@tabler/icons-react";
import { useState } from "react";

import { errorMessage } from "../../api/errors";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DialogActions } from "../../components/DialogActions";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { GoalCard } from "./GoalCard";
import { GoalFormDialog } from "./GoalFormDialog";
import { useDeleteGoal, useGoals, useRecordProgress, useUpdateGoal, type Goal } from "./api";
import { goalTitle, takesManualProgress } from "./words";

function ProgressDialog({ goal, onClose }: { goal: Goal | null; onClose: () => void }) {
  const record = useRecordProgress();
  const [value, setValue] = useState<number | string>("");
  const [note, setNote] = useState("");
  return (
    <Modal opened={goal !== null} onClose={onClose} title={goal ? `Log progress: ${goalTitle(goal)}` : ""} centered>
      {goal ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (typeof value !== "number") return;
            record.mutate(
              { id: goal.id, value, note: note.trim() || null, recorded_at: null },
              {
                onSuccess: () => {
                  notifications.show({ color: "teal", message: "Progress saved" });
                  setValue("");
                  setNote("");
                  onClose();
                },
              },
            );
          }}
        >
          <Stack>
            <FormError>{record.error ? errorMessage(record.error) : null}</FormError>
            <NumberInput
              label={`Amount (${goal.unit})`}
              min={0}
              decimalScale={2}
              required
              value={value}
              onChange={setValue}
            />
            <TextInput
              label="Note (optional)"
              maxLength={500}
              value={note}
              onChange={(event) => {
                setNote(event.currentTarget.value);
              }}
            />
            <DialogActions
              onCancel={onClose}
              submitLabel="Save"
              loading={record.isPending}
              disabled={typeof value !== "number"}
            />
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}

export function GoalsPage() {
  const [show, setShow] = useState<"active" | "all">("active");
  const goals = useGoals(show === "active" ? "active" : null);
  const update = useUpdateGoal();
  const remove = useDeleteGoal();
  const [editing, setEditing] = useState<Goal | null>(null);
  const [creating, setCreating] = useState(false);
  const [logging, setLogging] = useState<Goal | null>(null);
  const [deleting, setDeleting] = useState<Goal | null>(null);

  const setStatus = (goal: Goal, status: "active" | "paused" | "completed" | "abandoned", message: string) => {
    update.mutate(
      { id: goal.id, status },
      {
        onSuccess: () => notifications.show({ color: "teal", message }),
        onError: (error) => notifications.show({ color: "red", message: errorMessage(error) }),
      },
    );
  };

  return (
    <>
      <PageHeader
        title="Goals"
        description="Targets for each day, week or month, with your progress."
        actions={
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => {
              setCreating(true);
            }}
          >
            New goal
          </Button>
        }
      />
      <SegmentedControl
        mb="md"
        aria-label="Which goals"
        value={show}
        onChange={(value) => {
          setShow(value);
        }}
        data={[
          { value: "active", label: "Active" },
          { value: "all", label: "All" },
        ]}
      />
      <QueryState
        query={goals}
        isEmpty={(page) => page.items.length === 0}
        empty="No goals yet. Create one to start tracking."
        loadingLabel="Loading goals…"
      >
        {(page) => (
          <Stack component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label="Goals">
            {page.items.map((goal) => (
              <GoalCard
                key={goal.id}
                goal={goal}
                actions={
                  <Group gap="xs">
                    {takesManualProgress(goal) && goal.status === "active" ? (
                      <Button
                        size="xs"
                        onClick={() => {
                          setLogging(goal);
                        }}
                      >
                        Log progress
                      </Button>
                    ) : null}
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => {
                        setEditing(goal);
                      }}
                    >
                      Edit
                    </Button>
                    <Menu position="bottom-end">
                      <Menu.Target>
                        <Button
                          size="xs"
                          variant="default"
                          leftSection={<IconDots size={14} aria-hidden />}
                          aria-label={`More actions for ${goalTitle(goal)}`}
                        >
                          More
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        {goal.status === "active" ? (
                          <Menu.Item
                            onClick={() => {
                              setStatus(goal, "paused", "Goal paused");
                            }}
                          >
                            Pause
                          </Menu.Item>
                        ) : (
                          <Menu.Item
                            onClick={() => {
                              setStatus(goal, "active", "Goal resumed");
                            }}
                          >
                            Make active again
                          </Menu.Item>
                        )}
                        <Menu.Item
                          onClick={() => {
                            setStatus(goal, "completed", "Goal ended as completed");
                          }}
                        >
                          End as completed
                        </Menu.Item>
                        <Menu.Item
                          onClick={() => {
                            setStatus(goal, "abandoned", "Goal ended");
                          }}
                        >
                          End without completing
                        </Menu.Item>
                        <Menu.Divider />
                        <Menu.Item
                          color="red"
                          onClick={() => {
                            setDeleting(goal);
                          }}
                        >
                          Delete
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Group>
                }
              />
            ))}
          </Stack>
        )}
      </QueryState>
      <GoalFormDialog
        opened={creating || editing !== null}
        goal={editing}
        onClose={() => {
          setCreating(false);
          setEditing(null);
        }}
      />
      <ProgressDialog
        goal={logging}
        onClose={() => {
          setLogging(null);
        }}
      />
      <ConfirmDialog
        opened={deleting !== null}
        title="Delete the goal?"
        confirmLabel="Delete goal"
        danger
        loading={remove.isPending}
        onClose={() => {
          setDeleting(null);
        }}
        onConfirm={() => {
          if (!deleting) return;
          remove.mutate(deleting.id, {
            onSuccess: () => {
              notifications.show({ color: "teal", message: "Goal deleted" });
              setDeleting(null);
            },
          });
        }}
      >
        {deleting
          ? `“${goalTitle(deleting)}” and its progress entries will be removed. Ending the goal keeps its history instead.`
          : ""}
      </ConfirmDialog>
    </>
  );
}
