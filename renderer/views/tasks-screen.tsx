/** The main screen: the task list, and the detail of the active task beside it. */
import { useTasks } from '../store/task-store';
import { TaskList } from './task-list';
import { TaskDetail } from './task-detail';

export function TasksScreen() {
  const activeTaskId = useTasks((s) => s.activeTaskId);
  return (
    <div className={activeTaskId ? 'split' : 'split no-detail'}>
      <TaskList />
      {activeTaskId && <TaskDetail key={activeTaskId} taskId={activeTaskId} />}
    </div>
  );
}
