/** Routing rules (分办规则): the level and unit triage suggests for a case; the office confirms or overrides. */
import type { Category } from '../config/catalog';
import { type Level, MAJOR_LEVELS } from './case-state';

export interface TriageSuggestion {
  level: Level;
  unitId?: string;
}

/** The routing rule for a category; an unknown category goes to the department level with no unit. */
export function suggestTriage(categories: Category[], categoryId: string): TriageSuggestion {
  const route = categories.find((category) => category.id === categoryId)?.route;
  // A category removed from the configuration after filing must not block triage: the office picks the unit.
  if (!route) return { level: 'department' };
  return route.unitId === undefined ? { level: route.level } : { level: route.level, unitId: route.unitId };
}

/** Whether a level is major/complex (gets the long resolution deadline): task_force, government, leader. */
export function isMajor(level: Level): boolean {
  return MAJOR_LEVELS.includes(level);
}
