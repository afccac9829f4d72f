/** The types of common.xsd, read from and written to trees; element order follows the XSD. */
import type {
  CareSetting,
  Clinician,
  DepartmentType,
  LocalAuthority,
  Person,
  PlanType,
} from '../types.js';
import { optionalText, text, type Tree } from './tree.js';

export const readPerson = (tree: Tree): Person => ({
  nhsNumber: text(tree, 'nhsNumber'),
  familyName: text(tree, 'familyName'),
  givenName: text(tree, 'givenName'),
  birthDate: text(tree, 'birthDate'),
});

export const writePerson = (person: Person): Tree => ({
  nhsNumber: person.nhsNumber,
  familyName: person.familyName,
  givenName: person.givenName,
  birthDate: person.birthDate,
});

export const readLocalAuthority = (tree: Tree): LocalAuthority => ({
  ods: text(tree, 'ods'),
  name: text(tree, 'name'),
  officePhone: optionalText(tree, 'officePhone'),
  emergencyPhone: text(tree, 'emergencyPhone'),
});

export const writeLocalAuthority = (la: LocalAuthority): Tree => ({
  ods: la.ods,
  name: la.name,
  officePhone: la.officePhone,
  emergencyPhone: la.emergencyPhone,
});

export const readCareSetting = (tree: Tree): CareSetting => ({
  ods: text(tree, 'ods'),
  site: optionalText(tree, 'site'),
  name: text(tree, 'name'),
  departmentType: text(tree, 'departmentType') as DepartmentType,
});

export const writeCareSetting = (setting: CareSetting): Tree => ({
  ods: setting.ods,
  site: setting.site,
  name: setting.name,
  departmentType: setting.departmentType,
});

export const readClinician = (tree: Tree): Clinician => ({
  name: text(tree, 'name'),
  role: optionalText(tree, 'role'),
  id: optionalText(tree, 'id'),
});

export const writeClinician = (clinician: Clinician): Tree => ({
  name: clinician.name,
  role: clinician.role,
  id: clinician.id,
});

/** The part every plan element starts with. */
export interface PlanDates {
  type: PlanType;
  start: string;
  end?: string;
}

export const readPlanDates = (tree: Tree): PlanDates => ({
  type: text(tree, 'type') as PlanType,
  start: text(tree, 'start'),
  end: optionalText(tree, 'end'),
});

export const writePlanDates = (plan: PlanDates): Tree => ({
  type: plan.type,
  start: plan.start,
  end: plan.end,
});
