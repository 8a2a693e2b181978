import type { App } from 'vue';
import {
  ElAlert, ElAside, ElBadge, ElButton, ElCard, ElCheckbox, ElCol, ElConfigProvider, ElContainer, ElDatePicker, ElDialog,
  ElDrawer, ElEmpty, ElForm, ElFormItem, ElHeader, ElInput, ElLoading, ElMain, ElMenu, ElMenuItem, ElOption,
  ElPagination, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElRow, ElSelect, ElTable, ElTableColumn, ElTag, ElUpload,
} from 'element-plus';
// Only the styles of the components we use (the full theme is ~3x larger).
import 'element-plus/es/components/alert/style/css';
import 'element-plus/es/components/aside/style/css';
import 'element-plus/es/components/badge/style/css';
import 'element-plus/es/components/button/style/css';
import 'element-plus/es/components/card/style/css';
import 'element-plus/es/components/checkbox/style/css';
import 'element-plus/es/components/col/style/css';
import 'element-plus/es/components/config-provider/style/css';
import 'element-plus/es/components/container/style/css';
import 'element-plus/es/components/date-picker/style/css';
import 'element-plus/es/components/dialog/style/css';
import 'element-plus/es/components/drawer/style/css';
import 'element-plus/es/components/empty/style/css';
import 'element-plus/es/components/form/style/css';
import 'element-plus/es/components/form-item/style/css';
import 'element-plus/es/components/header/style/css';
import 'element-plus/es/components/input/style/css';
import 'element-plus/es/components/loading/style/css';
import 'element-plus/es/components/main/style/css';
import 'element-plus/es/components/menu/style/css';
import 'element-plus/es/components/menu-item/style/css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import 'element-plus/es/components/option/style/css';
import 'element-plus/es/components/pagination/style/css';
import 'element-plus/es/components/progress/style/css';
import 'element-plus/es/components/radio/style/css';
import 'element-plus/es/components/radio-button/style/css';
import 'element-plus/es/components/radio-group/style/css';
import 'element-plus/es/components/row/style/css';
import 'element-plus/es/components/select/style/css';
import 'element-plus/es/components/tooltip/style/css';
import 'element-plus/es/components/table/style/css';
import 'element-plus/es/components/table-column/style/css';
import 'element-plus/es/components/tag/style/css';
import 'element-plus/es/components/upload/style/css';

const components = [
  ElAlert, ElAside, ElBadge, ElButton, ElCard, ElCheckbox, ElCol, ElConfigProvider, ElContainer, ElDatePicker, ElDialog,
  ElDrawer, ElEmpty, ElForm, ElFormItem, ElHeader, ElInput, ElMain, ElMenu, ElMenuItem, ElOption,
  ElPagination, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElRow, ElSelect, ElTable, ElTableColumn, ElTag, ElUpload,
];

/**
 * A trimmed global registration of Element Plus: the components above, and v-loading.
 * Sub-components (ElRadioButton, ElTableColumn, ElOption…) are installed by their parents.
 */
export function installElement(app: App): void {
  for (const c of components) app.use(c);
  app.use(ElLoading);
}
